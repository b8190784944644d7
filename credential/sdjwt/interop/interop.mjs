// Cross-checks ionode's SD-JWT VCs with the OpenWallet Foundation's @sd-jwt packages, an independent
// implementation. Driven by interop_test.go: reads a JSON array of commands on stdin and writes a JSON
// array of results (internal/nodetest/commands.mjs; {"ok": false, "error": "..."} for a command that
// threw). Keys are ES256 JWKs.
//
//   {"op":"issue", "issuerJwk":{private}, "kid", "iss", "vct", "holderJwk":{public}, "claims":{},
//    "frame":{disclosure frame}, "status":{"idx","uri"}?}                       -> {"sd": "..."}
//   {"op":"present", "sd", "holderJwk":{private}, "frame":{presentation frame}, "aud", "nonce"} -> {"sd"}
//   {"op":"verify", "sd", "issuerJwk":{public}, "requireKB", "nonce"}  -> {"ok", "claims", "kb"}
//   {"op":"statusList", "issuerJwk":{private}, "kid", "iss", "sub", "bits", "statuses":[], "ttl"} -> {"jwt"}
//   {"op":"readStatus", "jwt", "issuerJwk":{public}, "idx"}                     -> {"status"}
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { ES256, digest, generateSalt } from '@sd-jwt/crypto-nodejs'
import { StatusList, createHeaderAndPayload, getListFromStatusListJWT } from '@sd-jwt/jwt-status-list'
import { serve } from '../../../internal/nodetest/commands.mjs'

const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url')

async function signJWT(privateJwk, header, payload) {
  const input = b64(header) + '.' + b64(payload)
  const sign = await ES256.getSigner(privateJwk)
  return input + '.' + (await sign(input))
}

async function verifyJWT(publicJwk, jwt) {
  const [h, p, s] = jwt.split('.')
  const verify = await ES256.getVerifier(publicJwk)
  if (!(await verify(h + '.' + p, s))) throw new Error('signature does not verify')
}

function instance() {
  const config = { hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt, signAlg: 'ES256' }
  return config
}

async function run(cmd) {
  const now = Math.floor(Date.now() / 1000)
  switch (cmd.op) {
    case 'issue': {
      const sdjwt = new SDJwtVcInstance({ ...instance(), signer: await ES256.getSigner(cmd.issuerJwk) })
      const payload = { iss: cmd.iss, iat: now, exp: now + 3600, vct: cmd.vct, cnf: { jwk: cmd.holderJwk }, ...cmd.claims }
      if (cmd.status) payload.status = { status_list: cmd.status }
      const sd = await sdjwt.issue(payload, cmd.frame, { header: { kid: cmd.kid, typ: 'dc+sd-jwt' } })
      return { sd }
    }
    case 'present': {
      const sdjwt = new SDJwtVcInstance({ ...instance(), kbSigner: await ES256.getSigner(cmd.holderJwk), kbSignAlg: 'ES256' })
      const sd = await sdjwt.present(cmd.sd, cmd.frame, { kb: { payload: { aud: cmd.aud, nonce: cmd.nonce, iat: now } } })
      return { sd }
    }
    case 'verify': {
      const sdjwt = new SDJwtVcInstance({
        ...instance(),
        verifier: await ES256.getVerifier(cmd.issuerJwk),
        kbVerifier: async (data, sig, payload) => (await ES256.getVerifier(payload.cnf.jwk))(data, sig),
      })
      const opts = cmd.requireKB ? { keyBindingNonce: cmd.nonce } : {}
      const res = await sdjwt.verify(cmd.sd, opts)
      const claims = await sdjwt.getClaims(cmd.sd)
      if (cmd.requireKB && !res.kb) throw new Error('no key binding')
      return { ok: true, claims, kb: res.kb ? res.kb.payload : null }
    }
    case 'statusList': {
      const list = new StatusList(cmd.statuses, cmd.bits)
      const { header, payload } = createHeaderAndPayload(
        list,
        { iss: cmd.iss, sub: cmd.sub, iat: now, exp: now + 3600, ttl: cmd.ttl },
        { alg: 'ES256', typ: 'statuslist+jwt', kid: cmd.kid },
      )
      return { jwt: await signJWT(cmd.issuerJwk, header, payload) }
    }
    case 'readStatus': {
      await verifyJWT(cmd.issuerJwk, cmd.jwt)
      return { status: getListFromStatusListJWT(cmd.jwt).getStatus(cmd.idx) }
    }
  }
  throw new Error('unknown op ' + cmd.op)
}

await serve(run)
