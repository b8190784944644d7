// An OpenID4VCI wallet built on @openid4vc/openid4vci (OpenWallet Foundation, the code inside Credo),
// driven by interop_test.go: reads a JSON array of commands on stdin, writes a JSON array of results.
//
//   {"op":"receive", "offer":"openid-credential-offer://…", "txCode":"1234"|null, "configurationId":"…",
//    "holder":{"jwk":{private JWK}, "alg":"EdDSA"|"ES256", "didUrl":"did:…#…"|null},
//    "nonce":"override"|null, "aud":"override"|null}
//     -> {"ok":true, "credential":"<VC-JWT>", "issuer":"…", "subject":"…", "display":{…}}
//        (for a dc+sd-jwt configuration: {"ok":true, "format":"dc+sd-jwt", "credential":"<SD-JWT VC>", "vct":"…",
//        "display":{…}}; the Go test has @sd-jwt/sd-jwt-vc verify it)
//        or {"ok":false, "stage":"offer|metadata|token|nonce|credential|verify", "error":"<OAuth error code or message>"}
//   {"op":"token", "offer":"…", "txCode":"…"|null} -> {"ok":true} or {"ok":false, "error":"…"}
//   {"op":"advance", "by":"1s"}  moves the issuer's clock (a route of the Go test's server only)
//
// The credential is verified with did-jwt-vc (key-did-resolver for the issuer's did:key). Proofs are
// signed with node:crypto, with the holder's kid (a DID URL) or its public jwk.
import crypto from 'node:crypto'
import {
  Openid4vciClient,
} from '@openid4vc/openid4vci'
import { clientAuthenticationAnonymous } from '@openid4vc/oauth2'
import { Resolver } from 'did-resolver'
import { getResolver as keyResolver } from 'key-did-resolver'
import { verifyCredential } from 'did-jwt-vc'

const b64u = (b) => Buffer.from(b).toString('base64url')

function signJwt(holder) {
  return async (signer, { header, payload }) => {
    const key = crypto.createPrivateKey({ key: holder.jwk, format: 'jwk' })
    const pub = crypto.createPublicKey(key).export({ format: 'jwk' })
    const input = b64u(JSON.stringify(header)) + '.' + b64u(JSON.stringify(payload))
    const sig =
      holder.alg === 'EdDSA'
        ? crypto.sign(null, Buffer.from(input), key)
        : crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
    return { jwt: input + '.' + b64u(sig), signerJwk: pub }
  }
}

function client(holder) {
  return new Openid4vciClient({
    callbacks: {
      hash: (data, alg) => new Uint8Array(crypto.createHash(alg.replace('-', '')).update(data).digest()),
      generateRandom: (n) => new Uint8Array(crypto.randomBytes(n)),
      signJwt: signJwt(holder || { jwk: null }),
      clientAuthentication: clientAuthenticationAnonymous(),
      fetch: globalThis.fetch,
    },
  })
}

const errorOf = (e) =>
  e?.errorResponse?.error || e?.response?.credentialErrorResponseResult?.data?.error ||
  e?.response?.credentialResponseResult?.error?.message || (e && e.message) || String(e)

async function stage(name, fn) {
  try {
    return await fn()
  } catch (e) {
    const err = new Error(errorOf(e))
    err.stage = name
    throw err
  }
}

const resolver = new Resolver({ ...keyResolver() })

async function receive(cmd) {
  const c = client(cmd.holder)
  const offer = await stage('offer', () => c.resolveCredentialOffer(cmd.offer))
  const md = await stage('metadata', () => c.resolveIssuerMetadata(offer.credential_issuer))
  const { accessTokenResponse } = await stage('token', () =>
    c.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer: offer, issuerMetadata: md, txCode: cmd.txCode || undefined })
  )
  const { c_nonce } = await stage('nonce', () => c.requestNonce({ issuerMetadata: md }))
  const holderPub = crypto.createPublicKey(crypto.createPrivateKey({ key: cmd.holder.jwk, format: 'jwk' })).export({ format: 'jwk' })
  const signer = cmd.holder.didUrl
    ? { method: 'did', didUrl: cmd.holder.didUrl, alg: cmd.holder.alg }
    : { method: 'jwk', publicJwk: holderPub, alg: cmd.holder.alg }
  const proofMd = cmd.aud
    ? { ...md, credentialIssuer: { ...md.credentialIssuer, credential_issuer: cmd.aud } }
    : md
  const { jwt } = await stage('proof', () =>
    c.createCredentialRequestJwtProof({
      issuerMetadata: proofMd,
      credentialConfigurationId: cmd.configurationId,
      signer,
      nonce: cmd.nonce || c_nonce,
    })
  )
  const res = await stage('credential', () =>
    c.retrieveCredentials({
      issuerMetadata: md,
      accessToken: accessTokenResponse.access_token,
      credentialConfigurationId: cmd.configurationId,
      proofs: { jwt: [jwt] },
    })
  )
  const credential = res.credentialResponse.credentials[0].credential
  const cfg = md.credentialIssuer.credential_configurations_supported[cmd.configurationId]
  if (cfg.format === 'dc+sd-jwt') {
    return {
      ok: true,
      format: cfg.format,
      credential,
      vct: cfg.vct,
      display: { issuer: md.credentialIssuer.display, credential: cfg.credential_metadata?.display },
    }
  }
  const v = await stage('verify', () => verifyCredential(credential, resolver))
  return {
    ok: true,
    credential,
    issuer: v.issuer,
    subject: v.payload.sub,
    display: { issuer: md.credentialIssuer.display, credential: cfg.credential_metadata?.display },
  }
}

async function token(cmd) {
  const c = client(null)
  const offer = await stage('offer', () => c.resolveCredentialOffer(cmd.offer))
  const md = await stage('metadata', () => c.resolveIssuerMetadata(offer.credential_issuer))
  await stage('token', () =>
    c.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer: offer, issuerMetadata: md, txCode: cmd.txCode || undefined })
  )
  return { ok: true }
}

async function run(cmd) {
  try {
    switch (cmd.op) {
      case 'receive':
        return await receive(cmd)
      case 'token':
        return await token(cmd)
      case 'advance': {
        // A test-only route of the Go test's server moves the issuer's clock (tx_code locks).
        const res = await fetch(process.env.IONODE_TEST_URL + '/advance?by=' + encodeURIComponent(cmd.by), { method: 'POST' })
        if (!res.ok) throw new Error('advance: ' + res.status)
        return { ok: true }
      }
    }
    throw new Error('unknown op ' + cmd.op)
  } catch (e) {
    return { ok: false, stage: e.stage || 'run', error: String(e && e.message ? e.message : e) }
  }
}

let input = ''
for await (const chunk of process.stdin) input += chunk
const out = []
for (const cmd of JSON.parse(input)) out.push(await run(cmd))
process.stdout.write(JSON.stringify(out))
