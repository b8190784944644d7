// A holder's wallet built on the OpenWallet Foundation's libraries (the code inside Credo):
// @openid4vc/openid4vci receives credentials from ionode's issuer (../../oid4vci/interop/holder.mjs),
// @openid4vc/openid4vp answers ionode's presentation requests. Driven by wallet_interop_test.go: reads a JSON array of commands on stdin, writes
// a JSON array of results. Credentials and resolved requests are kept by name between commands.
//
//   {"op":"receive", "offer":"openid-credential-offer://…", "txCode":"…"|null, "configurationId":"…",
//    "holder":{"jwk":{private JWK}, "alg":"EdDSA", "didUrl":"did:key:…#…"}, "as":"name"}
//     -> {"ok":true, "issuer":"…", "subject":"…"}   (the credential is verified with did-jwt-vc)
//        or, for a dc+sd-jwt configuration, {"ok":true, "format":"dc+sd-jwt", "vct":"…"}
//   {"op":"resolve", "url":"openid4vp://?client_id=…&request_uri=…", "as":"name"}
//     -> {"ok":true, "clientId":"…", "version":100, "query":"dcql"|"presentation_definition"}
//        (the library fetches the request object and verifies its signature by the client_id's DID)
//   {"op":"respond", "request":"name", "credential":"name", "credentials":{"<format>":"name"}|null, "holder":{…}, "as":"name",
//    "nonce":"override"|null, "tamper":true|false, "nestedPath":"$.vp.verifiableCredential[0]"|null,
//    "definitionId":"override"|null,
//    "encs":["A256GCM"]|null, "jwe":"tamper"|"otherKey"|"clear"|null, "withhold":["birthdate"]|null}
//     -> {"ok":true, "status":200, "enc":"A128GCM"|null} or {"ok":false, "stage":"response", "status":400, "error":"<code>"}
//        For a direct_post.jwt request the library encrypts the response (JARM) to the key in the
//        request's client_metadata.jwks with an enc both sides support (encs: the wallet's, default
//        A128GCM and A256GCM); the encryptJwe callback it calls is panva/jose. jwe "tamper" flips a
//        ciphertext character, "otherKey" encrypts to a key not the verifier's, "clear" posts the
//        response unencrypted.
//        A DCQL query for dc+sd-jwt is answered by ./sdjwt.mjs (dcql picks the claims, @sd-jwt/sd-jwt-vc
//        presents them with a KB-JWT); withhold leaves top-level claims out of what dcql picked.
//        With "choose":true dcql also picks, among all held credentials, which credential queries to
//        answer (the first satisfiable option of each credential set) and with which credential.
//   {"op":"resubmit", "response":"name"}  posts a sent response again (a replay)
//   {"op":"advance", "by":"6m"}  moves the verifier's clock (../../oid4vci/interop/driver.mjs)
import crypto from 'node:crypto'
import { Openid4vpClient } from '@openid4vc/openid4vp'
import { verifyJWT } from 'did-jwt'
import { createVerifiablePresentationJwt } from 'did-jwt-vc'
// The OpenID4VCI holder (receive, and the signing helpers) lives once, in exchange/oid4vci/interop; its
// imports resolve from that directory's node_modules.
import { b64u, receive as receiveCredential, resolver, sign, signJwt, stage } from '../../oid4vci/interop/holder.mjs'
import { drive } from '../../oid4vci/interop/driver.mjs'
import { encryptJwe, jarmOptions, protectedEnc, tamperJwe } from './jarm.mjs'
import { presentSDJWT } from './sdjwt.mjs'
import { chooseByDcql } from './choose.mjs'

// verifyJwt checks a request object signed by a DID (the only signer ionode's requests use): did-jwt
// resolves the kid and checks the signature, expiry and audience (the static self-issued wallet).
async function verifyJwt(signer, { compact }) {
  if (signer.method !== 'did') return { verified: false }
  try {
    const res = await verifyJWT(compact, { resolver, audience: 'https://self-issued.me/v2' })
    if (res.signer.id !== signer.didUrl || !res.signer.publicKeyJwk) return { verified: false }
    return { verified: true, signerJwk: res.signer.publicKeyJwk }
  } catch {
    return { verified: false }
  }
}

const client = (holder) =>
  new Openid4vpClient({
    callbacks: {
      hash: (data, alg) => new Uint8Array(crypto.createHash(alg.replace('-', '')).update(data).digest()),
      signJwt: signJwt(holder || { jwk: null }),
      verifyJwt,
      encryptJwe,
      fetch: globalThis.fetch,
    },
  })

const credentials = {}
const requests = {}
const responses = {}

async function receive(cmd) {
  const res = await receiveCredential(cmd)
  credentials[cmd.as] = { format: res.format || 'jwt_vc_json', credential: res.credential }
  if (res.format) return { ok: true, format: res.format, vct: res.vct }
  return { ok: true, issuer: res.issuer, subject: res.subject }
}

async function resolve(cmd) {
  const c = client(null)
  const parsed = await stage('parse', () => c.parseOpenid4vpAuthorizationRequest({ authorizationRequest: cmd.url }))
  const resolved = await stage('resolve', () => c.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params }))
  requests[cmd.as] = resolved
  return {
    ok: true,
    clientId: resolved.client.effective,
    prefix: resolved.client.prefix,
    version: resolved.version,
    query: resolved.dcql ? 'dcql' : resolved.pex ? 'presentation_definition' : 'none',
  }
}

// presentation signs a VP-JWT of the VC-JWT held as name for the request's client and nonce with
// did-jwt-vc.
async function presentation(cmd, req, name) {
  const holder = cmd.holder
  const did = holder.didUrl.split('#')[0]
  const vp = await createVerifiablePresentationJwt(
    {
      vp: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiablePresentation'],
        verifiableCredential: [credentials[name].credential],
      },
    },
    { did, alg: holder.alg, signer: async (data) => b64u(sign(holder, data)) },
    { challenge: cmd.nonce || req.authorizationRequestPayload.nonce, domain: req.client.effective, header: { kid: holder.didUrl } }
  )
  if (!cmd.tamper) return vp
  // Flip one character of the payload: the signature no longer covers it.
  const [h, p, s] = vp.split('.')
  const payload = Buffer.from(p, 'base64url').toString().replace('"nonce":"', '"nonce":"x')
  return [h, b64u(payload), s].join('.')
}

async function submit(c, req, payload, jarm) {
  const { response } = await stage('response', () =>
    c.submitOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: req.authorizationRequestPayload,
      authorizationResponsePayload: payload,
      jarm,
    })
  )
  const body = await response.text()
  if (!response.ok) {
    let code = body
    try {
      code = JSON.parse(body).code
    } catch {}
    return { ok: false, stage: 'response', status: response.status, error: code }
  }
  return { ok: true, status: response.status, enc: jarm ? protectedEnc(jarm.responseJwt) : null }
}

async function respond(cmd) {
  const req = requests[cmd.request]
  const c = client(cmd.holder)
  let answer
  if (req.dcql) {
    // DCQL (1.0): the answer to each credential query is an array of presentations, of the credential
    // held for its format (cmd.credentials) or else of cmd.credential.
    // With choose, dcql picks the queries to answer (credential sets) and their credentials (./choose.mjs).
    const chosen = cmd.choose ? await stage('present', () => chooseByDcql(req.dcql.query, credentials)) : null
    const heldFor = (q) => chosen?.[q.id] || cmd.credentials?.[q.format] || cmd.credential
    const present = (q) =>
      q.format !== 'dc+sd-jwt'
        ? presentation(cmd, req, heldFor(q))
        : presentSDJWT({
            sd: credentials[heldFor(q)].credential,
            query: req.dcql.query,
            queryId: q.id,
            holder: { alg: cmd.holder.alg, sign: async (data) => b64u(sign(cmd.holder, data)) },
            aud: req.client.effective,
            nonce: cmd.nonce || req.authorizationRequestPayload.nonce,
            withhold: cmd.withhold || [],
          })
    const token = {}
    for (const q of req.dcql.query.credentials) {
      if (chosen && !chosen[q.id]) continue
      token[q.id] = [await stage('present', () => present(q))]
    }
    answer = { vp_token: token }
  } else if (req.pex?.presentation_definition) {
    const vp = await stage('present', () => presentation(cmd, req, cmd.credential))
    // Presentation Exchange (the drafts): the one VP is the vp_token, and the submission points every
    // input descriptor at its credential. No maintained PE library installs with `npm ci` here
    // (@sphereon/pex 4.1.0's preinstall demands pnpm), so the wallet writes the submission itself.
    const pd = req.pex.presentation_definition
    answer = {
      vp_token: vp,
      presentation_submission: {
        id: crypto.randomUUID(),
        definition_id: cmd.definitionId || pd.id,
        descriptor_map: pd.input_descriptors.map((d) => ({
          id: d.id,
          format: 'jwt_vp_json',
          path: '$',
          path_nested: { id: d.id, format: 'jwt_vc_json', path: cmd.nestedPath || '$.verifiableCredential[0]' },
        })),
      },
    }
  } else {
    throw Object.assign(new Error('the request asks with neither DCQL nor a presentation definition'), { stage: 'present' })
  }
  // "clear" has the library answer as if the request had asked for direct_post.
  const reqPayload = cmd.jwe === 'clear' ? { ...req.authorizationRequestPayload, response_mode: 'direct_post' } : req.authorizationRequestPayload
  const created = await stage('create', async () =>
    c.createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: reqPayload,
      authorizationResponsePayload: answer,
      jarm: await jarmOptions(req, { encs: cmd.encs, mode: cmd.jwe }),
    })
  )
  let jarm = created.jarm && { responseJwt: created.jarm.responseJwt }
  if (jarm && cmd.jwe === 'tamper') jarm = { responseJwt: tamperJwe(jarm.responseJwt) }
  responses[cmd.as] = { req, payload: created.authorizationResponsePayload, jarm }
  return submit(c, req, created.authorizationResponsePayload, jarm)
}

await drive({
  receive,
  resolve,
  respond,
  // resubmit posts a sent response again: a replay.
  resubmit: (cmd) => submit(client(null), responses[cmd.response].req, responses[cmd.response].payload, responses[cmd.response].jarm),
})
