// The wallet's choice among its credentials: the OpenWallet Foundation's dcql library matches every
// held credential (VC-JWTs by type and their vc claims, SD-JWT VCs by vct and their disclosable claims)
// against the request's DCQL query; of each credential set the wallet answers the first option dcql
// finds satisfiable (an optional set only when one is), without sets every credential query.
import { DcqlQuery } from 'dcql'
import { sdClaims } from './sdjwt.mjs'

async function dcqlCredential({ format, credential }) {
  if (format === 'dc+sd-jwt') {
    const claims = await sdClaims(credential)
    return { credential_format: 'dc+sd-jwt', vct: claims.vct, claims, cryptographic_holder_binding: true }
  }
  const payload = JSON.parse(Buffer.from(credential.split('.')[1], 'base64url').toString())
  const vc = payload.vc || payload
  return { credential_format: format, type: [vc.type].flat(), claims: vc, cryptographic_holder_binding: true }
}

// chooseByDcql returns, for each credential query the wallet answers, the name of the held credential
// (of held: name -> {format, credential}) that answers it. It throws when a required set has no option.
export async function chooseByDcql(query, held) {
  const names = Object.keys(held)
  const input = await Promise.all(names.map((n) => dcqlCredential(held[n])))
  const parsed = DcqlQuery.parse(query)
  DcqlQuery.validate(parsed)
  const result = DcqlQuery.query(parsed, input)
  if (!result.can_be_satisfied) throw new Error('dcql: the held credentials cannot satisfy the query')
  const ids = result.credential_sets
    ? result.credential_sets.flatMap((set) => set.matching_options?.[0] ?? [])
    : parsed.credentials.map((q) => q.id)
  const chosen = {}
  for (const id of ids) {
    const match = result.credential_matches[id]
    if (!match?.success) throw new Error(`dcql: no held credential answers ${id}`)
    chosen[id] = names[match.valid_credentials[0].input_credential_index]
  }
  return chosen
}
