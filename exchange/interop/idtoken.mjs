// Signs self-issued ID Tokens with panva/jose, as a SIOPv2 wallet does: for each input it makes a new key
// (alg ES256 or EdDSA), names it by did:jwk, and signs iss = sub = that DID with the given aud, nonce and
// lifetime. Reads [{alg, aud, nonce, iat, exp}] on stdin, writes [{did, idToken}] on stdout.
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const inputs = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const out = [];
for (const { alg, aud, nonce, iat, exp } of inputs) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
  const jwk = await exportJWK(publicKey);
  const did = 'did:jwk:' + Buffer.from(JSON.stringify(jwk)).toString('base64url');
  const idToken = await new SignJWT({ nonce })
    .setProtectedHeader({ alg, kid: did + '#0', typ: 'JWT' })
    .setIssuer(did).setSubject(did).setAudience(aud).setIssuedAt(iat).setExpirationTime(exp)
    .sign(privateKey);
  out.push({ did, idToken });
}
process.stdout.write(JSON.stringify(out));
