#!/usr/bin/env bash
# The README's wallet walkthrough, run for real: `ionode testnet` as issuer and verifier, a credential
# issued to a holder through OpenID4VCI (`ionode request issuance` / `ionode vc receive`), then a relying
# party's presentation request answered by the holder over OpenID4VP (`ionode request presentation` /
# `ionode vc present --request`), whose status shows presentation_verified with the claims, and the same
# with a draft-era presentation_definition request, an SD-JWT VC issued and presented with one claim
# disclosed, and a request with DCQL credential and claim sets answered by the holder's choice and --use.
# CI runs it from .ci/run; run it yourself with: bash scripts/wallet-walkthrough.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=${WALLET_WALKTHROUGH_PORT:-3918}
node="http://127.0.0.1:$port"
cleanup() {
  for p in ${rp:-} ${ip:-}; do kill "$p" 2>/dev/null || true; done
  if [ -n "${pid:-}" ]; then kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "wallet walkthrough: $*"; for f in "$work"/*.out "$work"/*.err; do echo "== $f"; cat "$f"; done; exit 1; }

go build -o "$work/ionode" ./cmd/ionode
ionode() { "$work/ionode" "$@"; }
start=$(date +%s)

# 1. Keys: the node's issuer and verifier DID (did:jwk of an Ed25519 key), the holder's key (its did:key).
ionode keys generate --type Ed25519 --out "$work/node.jwk" > "$work/node.pub"
did="did:jwk:$(python3 -c 'import base64,sys; print(base64.urlsafe_b64encode(open(sys.argv[1]).read().strip().encode()).decode().rstrip("="))' "$work/node.pub")"
ionode keys generate --type Ed25519 --out "$work/holder.jwk" > /dev/null
export ION_ADMIN_TOKEN=walkthrough-admin-token
hash=$(printf %s "$ION_ADMIN_TOKEN" | sha256sum | cut -d' ' -f1)
cat > "$work/offers.json" <<'JSON'
{"credential_configurations": {"VerifiedEmployee": {"format": "jwt_vc_json", "types": ["VerifiedEmployee"], "validity": "8760h", "status": true,
  "display": [{"name": "Verified Employee", "locale": "en-US"}]},
  "PID": {"format": "dc+sd-jwt", "vct": "urn:example:pid", "disclosable": ["given_name", "family_name"]}}}
JSON

# 2. The node: issuer and verifier on a private network. --did-web-allow-loopback lets it read its own
# status list at its loopback public URL (local use only).
"$work/ionode" testnet --data-dir "$work/net" --listen "127.0.0.1:$port" --public-url "$node" --admin-token-hash "$hash" \
  --issuer-key-file "$work/node.jwk" --issuer-kid "$did#0" --verifier-key-file "$work/node.jwk" --verifier-kid "$did#0" \
  --oid4vci-config-file "$work/offers.json" --did-web-allow-loopback > "$work/testnet.out" 2> "$work/testnet.err" &
pid=$!
for _ in $(seq 1 240); do
  if curl -fsS "$node/readyz" > /dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then fail "testnet exited"; fi
  sleep 0.5
done
curl -fsS "$node/readyz" > /dev/null || fail "testnet not ready"
echo "testnet ready in $(( $(date +%s) - start ))s"

# waitfor FILE PATTERN: wait until a background command has printed PATTERN.
waitfor() {
  for _ in $(seq 1 120); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.25; done
  fail "no $2 in $1"
}

# 3. The issuer offers a credential with a PIN and follows the request; the holder receives it.
ionode request issuance --node "$node" --authority "$did" --type VerifiedEmployee \
  --claims '{"displayName":"Alice","jobTitle":"Engineer"}' --pin 4821 --poll 250ms > "$work/issuance.out" 2> "$work/issuance.err" &
ip=$!
waitfor "$work/issuance.out" 'openid-credential-offer://'
offer=$(grep -oE 'openid-credential-offer://[^[:space:]]+' "$work/issuance.out")
ionode vc receive --holder-key "$work/holder.jwk" --holder-kid did:key --tx-code 4821 --out "$work/employee.jwt" \
  --allow-loopback "$offer" > "$work/receive.out" 2> "$work/receive.err" || fail "vc receive failed"
wait "$ip" || fail "request issuance did not end with issuance_successful"
ip=
grep -q '"issuance_successful"' "$work/issuance.out" || fail "no issuance_successful"
echo "issued: $(cat "$work/receive.out")"

# present OUT ARGS...: the holder answers a request (ARGS: --request URL, credential files, flags); its
# output goes to OUT.out and OUT.err.
present() {
  local out=$1
  shift
  ionode vc present --holder-key "$work/holder.jwk" --holder-kid did:key --allow-loopback "$@" > "$work/$out.out" 2> "$work/$out.err"
}

# ask_and_answer NAME ARGS...: a relying party asks for a VerifiedEmployee credential from this issuer
# (ARGS: more `request presentation` flags), the holder answers with employee.jwt, and the relying party's
# command must end with presentation_verified. Sets $request.
ask_and_answer() {
  local name=$1
  shift
  ionode request presentation --node "$node" --type VerifiedEmployee --accepted-issuer "$did" --client-name Contoso \
    "$@" --poll 250ms > "$work/$name.out" 2> "$work/$name.err" &
  rp=$!
  waitfor "$work/$name.out" 'openid4vp://'
  request=$(grep -oE 'openid4vp://[^[:space:]]+' "$work/$name.out")
  present "present-$name" --request "$request" "$work/employee.jwt" || fail "vc present ($name) failed"
  grep -q '^accepted$' "$work/present-$name.out" || fail "the verifier did not accept ($name)"
  wait "$rp" || fail "request presentation ($name) did not end with presentation_verified"
  rp=
  grep -q '"requestStatus": "presentation_verified"' "$work/$name.out" || fail "no presentation_verified ($name)"
}

# 4. A relying party asks for a VerifiedEmployee credential from this issuer; the holder answers.
ask_and_answer presentation
grep -q '"displayName": "Alice"' "$work/presentation.out" || fail "the claims are missing from the status"

# 5. The same request answered again is refused (single use), with exit code 4.
code=0
present replay --request "$request" "$work/employee.jwt" || code=$?
[ "$code" = 4 ] || fail "replayed request: exit code $code, want 4"
grep -q request_already_used "$work/replay.err" || fail "replay refused without request_already_used"

# 6. A draft-era request (DIF Presentation Exchange presentation_definition, client_id_scheme did): the
# same holder answers with a presentation_submission.
ask_and_answer definition --query presentation_definition

# 7. An SD-JWT VC: issued from a dc+sd-jwt configuration, then presented for a DCQL query that asks for
# given_name alone; the holder discloses that claim and not family_name.
ionode request issuance --node "$node" --authority "$did" --type PID --claims '{"given_name":"Alice","family_name":"Liddell"}' \
  --poll 250ms > "$work/pid-issuance.out" 2> "$work/pid-issuance.err" &
ip=$!
waitfor "$work/pid-issuance.out" 'openid-credential-offer://'
offer=$(grep -oE 'openid-credential-offer://[^[:space:]]+' "$work/pid-issuance.out")
ionode vc receive --holder-key "$work/holder.jwk" --holder-kid did:key --out "$work/pid.sd-jwt" --allow-loopback "$offer" \
  > "$work/pid-receive.out" 2> "$work/pid-receive.err" || fail "vc receive (dc+sd-jwt) failed"
wait "$ip" || fail "request issuance (dc+sd-jwt) did not end with issuance_successful"
ip=
# create_request NAME BODY: createPresentationRequest with BODY (JSON, given whole with --body and not
# followed); sets $request and $id.
create_request() {
  printf '%s' "$2" | ionode request presentation --node "$node" --body - --follow=false \
    > "$work/$1-request.out" 2> "$work/$1-request.err" || fail "request presentation --body ($1) failed"
  request=$(grep -oE 'openid4vp://[^[:space:]]+' "$work/$1-request.out")
  id=$(sed -n 's/^request \([^,]*\),.*/\1/p' "$work/$1-request.out")
  [ -n "$request" ] && [ -n "$id" ] || fail "request presentation --body ($1) printed no request"
}
create_request pid '{"registration":{"clientName":"Contoso"},
  "requestedCredentials":[{"type":"urn:example:pid","format":"dc+sd-jwt","acceptedIssuers":["'"$did"'"],"claims":[{"path":["given_name"]}]}]}'
present present-pid --request "$request" "$work/employee.jwt" "$work/pid.sd-jwt" || fail "vc present (dc+sd-jwt) failed"
grep -q '^accepted$' "$work/present-pid.out" || fail "the verifier did not accept the SD-JWT VC"
curl -fsS -H "Authorization: Bearer $ION_ADMIN_TOKEN" "$node/v1.0/verifiableCredentials/requests/$id" > "$work/pid-status.out" || fail "status of the dc+sd-jwt request"
grep -q '"presentation_verified"' "$work/pid-status.out" || fail "no presentation_verified (dc+sd-jwt)"
grep -q '"Alice"' "$work/pid-status.out" || fail "given_name missing from the status"
if grep -q Liddell "$work/pid-status.out"; then fail "family_name was disclosed"; fi

# 8. DCQL credential and claim sets: a PID (family_name with a birthdate it lacks, or else given_name)
# or else the employee credential. The holder, given both, presents the PID with given_name alone; told
# --use employee.jwt, the employee credential.
sets_request() {
  create_request sets '{"registration":{"clientName":"Contoso"},
    "requestedCredentials":[{"id":"pid","type":"urn:example:pid","format":"dc+sd-jwt","acceptedIssuers":["'"$did"'"],
      "claims":[{"id":"f","path":["family_name"]},{"id":"b","path":["birthdate"]},{"id":"g","path":["given_name"]}],"claimSets":[["f","b"],["g"]]},
      {"id":"badge","type":"VerifiedEmployee","acceptedIssuers":["'"$did"'"]}],
    "ionode":{"credentialSets":[{"options":[["pid"],["badge"]]}]}}'
}
sets_request
present present-sets --request "$request" "$work/employee.jwt" "$work/pid.sd-jwt" || fail "vc present (credential sets) failed"
grep -q '^presented for pid' "$work/present-sets.out" && grep -q '^accepted$' "$work/present-sets.out" || fail "the PID was not presented for the first option"
if grep -q '^presented for badge' "$work/present-sets.out"; then fail "both options were answered"; fi
curl -fsS -H "Authorization: Bearer $ION_ADMIN_TOKEN" "$node/v1.0/verifiableCredentials/requests/$id" > "$work/sets-status.out" || fail "status of the credential sets request"
grep -q '"Alice"' "$work/sets-status.out" || fail "given_name missing from the status (credential sets)"
if grep -q Liddell "$work/sets-status.out"; then fail "family_name was disclosed outside the chosen claim set"; fi
sets_request
present present-use --use "$work/employee.jwt" --request "$request" "$work/pid.sd-jwt" || fail "vc present --use failed"
grep -q '^presented for badge' "$work/present-use.out" && grep -q '^accepted$' "$work/present-use.out" || fail "--use did not present the employee credential"
echo "wallet walkthrough passed in $(( $(date +%s) - start ))s"
