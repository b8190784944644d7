// Encrypts each input plaintext to the given public JWK with panva/jose (ECDH-ES, the given enc), as an
// OpenID4VP wallet encrypts a direct_post.jwt response. Reads [{jwk, enc, plaintext}] on stdin, writes
// [compact JWE] on stdout.
import { CompactEncrypt, importJWK } from 'jose';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const inputs = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const out = [];
for (const { jwk, enc, plaintext } of inputs) {
  const key = await importJWK(jwk, 'ECDH-ES');
  out.push(await new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg: 'ECDH-ES', enc, kid: jwk.kid })
    .encrypt(key));
}
process.stdout.write(JSON.stringify(out));
