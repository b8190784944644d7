// The wallet's dc+sd-jwt side: the OpenWallet Foundation's dcql library matches the held SD-JWT VC's
// claims against the request's DCQL credential query and picks the claims to disclose; @sd-jwt/sd-jwt-vc
// presents them with a KB-JWT signed by the holder's key over the request's nonce and client_id.
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { createHashMapping, decodeSdJwt } from '@sd-jwt/decode'
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs'
import { DcqlQuery } from 'dcql'

function instance(holder) {
  const config = { hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt }
  if (holder) {
    config.kbSigner = holder.sign
    config.kbSignAlg = holder.alg
  }
  return new SDJwtVcInstance(config)
}

// frameOf turns the claims dcql selected into @sd-jwt's presentation frame: every member and array
// element on the way to a selected value is disclosed.
function frameOf(v) {
  if (Array.isArray(v)) return Object.fromEntries(v.map((e, i) => [i, frameOf(e)]))
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, frameOf(e)]))
  return true
}

// issuerFrame moves a frame over the claims the holder sees onto the issuer's payload, which @sd-jwt's
// frames index: an array there also holds decoy digests (RFC 9901 Section 4.2.5; ionode's issuer puts
// them anywhere), so element k of what the holder sees is the k-th element that is not a decoy.
function issuerFrame(frame, raw, byDigest) {
  const disclosed = (e) => (e && typeof e === 'object' && '...' in e ? byDigest[e['...']] : undefined)
  if (frame === true || raw === null || typeof raw !== 'object') return frame
  const out = {}
  if (Array.isArray(raw)) {
    const seen = raw.flatMap((e, i) => (e && typeof e === 'object' && '...' in e && !disclosed(e) ? [] : [i]))
    for (const [k, f] of Object.entries(frame)) {
      const i = seen[Number(k)]
      if (i === undefined) continue
      const d = disclosed(raw[i])
      out[i] = issuerFrame(f, d ? d.value : raw[i], byDigest)
    }
    return out
  }
  for (const [k, f] of Object.entries(frame)) {
    let value = raw[k]
    for (const dg of raw._sd || []) if (byDigest[dg]?.key === k) value = byDigest[dg].value
    out[k] = issuerFrame(f, value, byDigest)
  }
  return out
}

// sdClaims are the claims of a held SD-JWT VC with every Disclosure applied, as dcql matches them.
export async function sdClaims(sd) {
  return instance(null).getClaims(sd)
}

// presentSDJWT answers DCQL credential query queryId of query with the SD-JWT VC sd, disclosing what
// dcql selects minus the top-level claims in withhold (to test a verifier's refusal), bound to aud and
// nonce. holder is {alg, sign(data) -> base64url signature}.
export async function presentSDJWT({ sd, query, queryId, holder, aud, nonce, withhold = [] }) {
  const claims = await instance(null).getClaims(sd)
  const parsed = DcqlQuery.parse(query)
  DcqlQuery.validate(parsed)
  const result = DcqlQuery.query(parsed, [
    { credential_format: 'dc+sd-jwt', vct: claims.vct, claims, cryptographic_holder_binding: true },
  ])
  const match = result.credential_matches[queryId]
  if (!match?.success) throw new Error(`dcql: the credential does not answer query ${queryId}`)
  const seen = frameOf(match.valid_credentials[0].claims.valid_claim_sets[0].output)
  for (const name of withhold) delete seen[name]
  const { jwt, disclosures } = await decodeSdJwt(sd, digest)
  const byDigest = await createHashMapping(disclosures, { alg: jwt.payload._sd_alg || 'sha-256', hasher: digest })
  const frame = issuerFrame(seen, jwt.payload, byDigest)
  const now = Math.floor(Date.now() / 1000)
  return instance(holder).present(sd, frame, { kb: { payload: { aud, nonce, iat: now } } })
}
