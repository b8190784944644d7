// The wallet's direct_post.jwt side for @openid4vc/openid4vp: the library chooses the verifier's key from
// client_metadata.jwks, the alg and enc, and apu/apv, and calls encryptJwe, written here with panva/jose.
import crypto from 'node:crypto'
import { CompactEncrypt, exportJWK, generateKeyPair, importJWK } from 'jose'

export async function encryptJwe(encryptor, data) {
  const key = await importJWK(encryptor.publicJwk, encryptor.alg)
  const params = {}
  if (encryptor.apu) params.apu = Buffer.from(encryptor.apu, 'base64url')
  if (encryptor.apv) params.apv = Buffer.from(encryptor.apv, 'base64url')
  const header = { alg: encryptor.alg, enc: encryptor.enc }
  if (encryptor.publicJwk.kid) header.kid = encryptor.publicJwk.kid
  const jwe = await new CompactEncrypt(new TextEncoder().encode(data))
    .setProtectedHeader(header)
    .setKeyManagementParameters(params)
    .encrypt(key)
  return { jwe, encryptionJwk: encryptor.publicJwk }
}

// jarmOptions are what the wallet tells the library for a direct_post.jwt request (undefined for any
// other, or when mode is "clear"): the algorithms it supports (encs, default A128GCM and A256GCM) and,
// for mode "otherKey", a key of its own to encrypt to instead of the verifier's.
export async function jarmOptions(req, { encs, mode }) {
  if (req.authorizationRequestPayload.response_mode !== 'direct_post.jwt' || mode === 'clear') return undefined
  const encryption = { nonce: Buffer.from(crypto.randomBytes(16)).toString('base64url') }
  if (mode === 'otherKey') {
    const { publicKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256' })
    encryption.jwk = { ...(await exportJWK(publicKey)), kid: 'not-the-verifiers', alg: 'ECDH-ES', use: 'enc' }
  }
  return {
    encryption,
    serverMetadata: {
      authorization_encryption_alg_values_supported: ['ECDH-ES'],
      authorization_encryption_enc_values_supported: encs || ['A128GCM', 'A256GCM'],
    },
  }
}

// tamperJwe flips one character in the middle of a compact JWE's ciphertext.
export function tamperJwe(jwe) {
  const parts = jwe.split('.')
  const ct = parts[3]
  const i = Math.floor(ct.length / 2)
  parts[3] = ct.slice(0, i) + (ct[i] === 'A' ? 'B' : 'A') + ct.slice(i + 1)
  return parts.join('.')
}

// protectedEnc is the enc of a compact JWE's protected header.
export const protectedEnc = (jwe) => JSON.parse(Buffer.from(jwe.split('.')[0], 'base64url').toString()).enc
