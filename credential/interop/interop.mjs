// Cross-checks ionode's VC-JWTs with did-jwt-vc / did-jwt, an independent implementation.
// Driven by interop_test.go: reads a JSON array of commands on stdin and writes a JSON array of results
// (internal/nodetest/commands.mjs; {"ok": false, "error": "..."} for a command that threw).
//
//   {"op":"issue", "alg":"ES256K"|"EdDSA", "key":"<hex private key or Ed25519 seed>", "kid":"did...#frag",
//    "subject":"did...", "type":"...", "defaultHeader":false} -> {"jwt": "..."}
//     (defaultHeader: keep did-jwt-vc's default header, which has no kid)
//   {"op":"verifyCredential", "jwt":"..."}                   -> {"ok": true, "issuer": "...", "subject": "..."}
//   {"op":"verifyJWT", "jwt":"...", "purpose":"assertionMethod"} -> {"ok": true, "issuer": "..."}
//   {"op":"verifyPresentation", "jwt":"...", "audience":"..."} -> {"ok": true, "holder": "..."}
//
// DIDs resolve with web-did-resolver (HTTPS; the test CA comes from NODE_EXTRA_CA_CERTS),
// key-did-resolver, and for did:ion, which has no resolver here, ionode's own resolution: the Go test
// serves W3C resolution results at $IONODE_RESOLVER_URL/<did>.
import { Resolver } from 'did-resolver'
import { getResolver as webResolver } from 'web-did-resolver'
import { getResolver as keyResolver } from 'key-did-resolver'
import { ES256KSigner, EdDSASigner, verifyJWT } from 'did-jwt'
import { createVerifiableCredentialJwt, verifyCredential, verifyPresentation } from 'did-jwt-vc'
import fetch from 'cross-fetch'
import { serve } from '../../internal/nodetest/commands.mjs'

const hex = (s) => Uint8Array.from(s.match(/../g).map((b) => parseInt(b, 16)))

const ion = {
  ion: async (did) => {
    const res = await fetch(process.env.IONODE_RESOLVER_URL + encodeURIComponent(did))
    return await res.json()
  },
}
const resolver = new Resolver({ ...webResolver(), ...keyResolver(), ...ion })

async function run(cmd) {
  switch (cmd.op) {
    case 'issue': {
      const signer = cmd.alg === 'EdDSA' ? EdDSASigner(hex(cmd.key)) : ES256KSigner(hex(cmd.key))
      const did = cmd.kid.split('#')[0]
      const now = Math.floor(Date.now() / 1000)
      const jwt = await createVerifiableCredentialJwt(
        {
          sub: cmd.subject,
          nbf: now - 60,
          exp: now + 3600,
          jti: 'urn:uuid:' + crypto.randomUUID(),
          vc: {
            '@context': ['https://www.w3.org/2018/credentials/v1'],
            type: ['VerifiableCredential', cmd.type],
            credentialSubject: { name: 'Alice' },
          },
        },
        { did, signer, alg: cmd.alg },
        cmd.defaultHeader ? {} : { header: { kid: cmd.kid, typ: 'JWT' } }
      )
      return { jwt }
    }
    case 'verifyCredential': {
      const v = await verifyCredential(cmd.jwt, resolver)
      return { ok: true, issuer: v.issuer, subject: v.payload.sub }
    }
    case 'verifyJWT': {
      const v = await verifyJWT(cmd.jwt, { resolver, proofPurpose: cmd.purpose || 'assertionMethod' })
      return { ok: true, issuer: v.issuer }
    }
    case 'verifyPresentation': {
      const v = await verifyPresentation(cmd.jwt, resolver, { audience: cmd.audience })
      return { ok: true, holder: v.issuer }
    }
  }
  throw new Error('unknown op ' + cmd.op)
}

await serve(run)
