// The holder side of OpenID4VCI built on @openid4vc/openid4vci (OpenWallet Foundation, the code inside
// Credo): wallet.mjs drives it for exchange/oid4vci's tests, and exchange/oid4vp/interop/wallet.mjs
// imports it to receive the credentials it then presents.
//
//   {"op":"receive", "offer":"openid-credential-offer://…", "txCode":"1234"|null, "configurationId":"…",
//    "holder":{"jwk":{private JWK}, "alg":"EdDSA"|"ES256", "didUrl":"did:…#…"|null},
//    "nonce":"override"|null, "aud":"override"|null}
//     -> {"ok":true, "credential":"<VC-JWT>", "issuer":"…", "subject":"…", "display":{…}}
//        (for a dc+sd-jwt configuration: {"ok":true, "format":"dc+sd-jwt", "credential":"<SD-JWT VC>", "vct":"…",
//        "display":{…}}; the Go test has @sd-jwt/sd-jwt-vc verify it)
//        or {"ok":false, "stage":"offer|metadata|token|nonce|credential|verify", "error":"<OAuth error code or message>"}
//   {"op":"token", "offer":"…", "txCode":"…"|null} -> {"ok":true} or {"ok":false, "error":"…"}
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

export const b64u = (b) => Buffer.from(b).toString('base64url')

// sign signs data with the holder's private JWK (EdDSA, or ECDSA with a JOSE signature).
export function sign(holder, data) {
  const key = crypto.createPrivateKey({ key: holder.jwk, format: 'jwk' })
  return holder.alg === 'EdDSA'
    ? crypto.sign(null, Buffer.from(data), key)
    : crypto.sign('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' })
}

// signJwt is the libraries' signJwt callback for the holder's key.
export function signJwt(holder) {
  return async (signer, { header, payload }) => {
    const key = crypto.createPrivateKey({ key: holder.jwk, format: 'jwk' })
    const pub = crypto.createPublicKey(key).export({ format: 'jwk' })
    const input = b64u(JSON.stringify(header)) + '.' + b64u(JSON.stringify(payload))
    return { jwt: input + '.' + b64u(sign(holder, input)), signerJwk: pub }
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
  (e?.errorResponse?.error && e.errorResponse.error + (e.errorResponse.error_description ? ': ' + e.errorResponse.error_description : '')) ||
  e?.response?.credentialErrorResponseResult?.data?.error ||
  e?.response?.credentialResponseResult?.error?.message || (e && e.message) || String(e)

// stage runs fn and marks what it throws with the stage's name and the OAuth error code, if any.
export async function stage(name, fn) {
  try {
    return await fn()
  } catch (e) {
    const err = new Error(errorOf(e))
    err.stage = name
    throw err
  }
}

export const resolver = new Resolver({ ...keyResolver() })

export async function receive(cmd) {
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

export async function token(cmd) {
  const c = client(null)
  const offer = await stage('offer', () => c.resolveCredentialOffer(cmd.offer))
  const md = await stage('metadata', () => c.resolveIssuerMetadata(offer.credential_issuer))
  await stage('token', () =>
    c.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer: offer, issuerMetadata: md, txCode: cmd.txCode || undefined })
  )
  return { ok: true }
}

