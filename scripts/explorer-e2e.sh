#!/usr/bin/env bash
# The web explorer in a real browser: start `ionode testnet`, create a DID through the CLI, then drive
# Debian's Chromium (headless, through playwright-core from web/e2e) to look the DID up in the explorer and
# check what it renders against the node's API, at desktop width and at 375 px, with no console errors;
# verify a credential the DID issued; create a wallet presentation request from the page, see its QR code,
# answer it with `ionode vc present` and watch the page reach presentation_verified; offer a credential
# with a PIN from the same page, redeem it with `ionode vc receive` and watch issuance_successful; validate
# node/openapi.json against the OpenAPI 3.1 schema and the node's answers against its response schemas.
# Screenshots go to .ci/out/ (explorer.png is the DID page). CI runs it from .ci/run; run it yourself with
#   (cd web/e2e && npm ci) && bash scripts/explorer-e2e.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
# A free port unless one is given: the walkthrough or a developer's node may hold the usual ones.
port=${EXPLORER_E2E_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
node="http://127.0.0.1:$port"
out="$root/.ci/out"
mkdir -p "$out"
cleanup() {
  # SIGINT to the binary itself: testnet then stops the node and btcd cleanly.
  if [ -n "${pid:-}" ]; then
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then echo "explorer e2e: $chromium is missing (apt-get install chromium)"; exit 1; fi
if [ ! -d web/e2e/node_modules/playwright-core ] || [ ! -d web/e2e/node_modules/ajv ]; then (cd web/e2e && npm ci --no-audit --no-fund --loglevel=error); fi

go build -o "$work/ionode" ./cmd/ionode
# A verifier key (the did:jwk of an Ed25519 key) and an admin token, for the wallet request page.
# did:jwk of a public JWK, its members in JCS order as `ionode vc present --holder-kid did:jwk` derives it.
didjwk() { python3 -c 'import base64,json,sys; print("did:jwk:" + base64.urlsafe_b64encode(json.dumps(json.load(open(sys.argv[1])), sort_keys=True, separators=(",", ":")).encode()).decode().rstrip("="))' "$1"; }
"$work/ionode" keys generate --type Ed25519 --out "$work/verifier.jwk" > "$work/verifier.pub"
verifier=$(didjwk "$work/verifier.pub")
"$work/ionode" keys generate --type Ed25519 --out "$work/holder.jwk" > "$work/holder.pub"
holder=$(didjwk "$work/holder.pub")
ION_ADMIN_TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
export ION_ADMIN_TOKEN # read by explorer.mjs from its environment, never from its arguments
hash=$(printf %s "$ION_ADMIN_TOKEN" | sha256sum | cut -d' ' -f1)
# The same key issues to wallets (an offer the page creates, which `ionode vc receive` redeems).
cat > "$work/offers.json" <<'JSON'
{"credential_configurations": {"VerifiedEmployee": {"format": "jwt_vc_json", "types": ["VerifiedEmployee"], "validity": "1h",
  "display": [{"name": "Verified Employee", "locale": "en-US"}]}}}
JSON
"$work/ionode" testnet --data-dir "$work/net" --listen "127.0.0.1:$port" --public-url "$node" --admin-token-hash "$hash" \
  --verifier-key-file "$work/verifier.jwk" --verifier-kid "$verifier#0" \
  --issuer-key-file "$work/verifier.jwk" --issuer-kid "$verifier#0" --oid4vci-config-file "$work/offers.json" \
  > "$work/testnet.out" 2> "$work/testnet.log" &
pid=$!
ready=
for _ in $(seq 1 240); do
  if curl -fsS "$node/readyz" > /dev/null 2>&1; then ready=1; break; fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.5
done
if [ -z "$ready" ]; then echo "explorer e2e: testnet did not become ready"; tail -50 "$work/testnet.log"; exit 1; fi

"$work/ionode" did create --network regtest --out "$work/keys" --node "$node" --wait 90s --json \
  --service "home,LinkedDomains,https://example.com/" > "$work/created.json" ||
  { echo "explorer e2e: the DID was not created and anchored; node log tail:"; tail -30 "$work/testnet.log"; exit 1; }
did=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["shortFormDid"])' "$work/created.json")
long=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["did"])' "$work/created.json")
echo "explorer e2e: created $did"
"$work/ionode" vc issue --key "$work/keys/key-1.jwk" --kid "$did#key-1" --type VerifiedEmployee \
  --subject-id did:example:holder --claim name=Alice --valid-for 1h > "$work/vc.jwt"
# The holder's credential, which it presents to the request the page creates.
"$work/ionode" vc issue --key "$work/keys/key-1.jwk" --kid "$did#key-1" --type VerifiedEmployee \
  --subject-id "$holder" --claim name=Alice --valid-for 1h > "$work/holder-vc.jwt"

# The API reference must be a valid OpenAPI 3.1 document and the node's answers must match its schemas
# (the Go test checks that it lists exactly the routes the node serves).
timeout --signal=TERM 120 node web/e2e/openapi.mjs node/openapi.json --node "$node" --did "$did"

code=0
# Bounded as a whole (each browser step also has its own 30 s limit); playwright closes Chromium on SIGTERM.
timeout --signal=TERM 600 node web/e2e/explorer.mjs --node "$node" --did "$did" --long-form "$long" --key-id "#key-1" \
  --vc "$(cat "$work/vc.jwt")" --ionode "$work/ionode" --holder-key "$work/holder.jwk" --holder-vc "$work/holder-vc.jwt" --issuer "$verifier" \
  --screenshot-dir "$out" --chromium "$chromium" || code=$?
if [ -f "$out/explorer-desktop.png" ]; then cp "$out/explorer-desktop.png" "$out/explorer.png"; fi
if [ "$code" != 0 ]; then echo "explorer e2e: node log tail:"; tail -30 "$work/testnet.log"; fi
exit "$code"
