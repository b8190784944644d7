#!/usr/bin/env bash
# The web explorer in a real browser: start `ionode testnet`, create a DID through the CLI, then drive
# Debian's Chromium (headless, through playwright-core from web/e2e) to look the DID up in the explorer and
# check what it renders against the node's API, at desktop width and at 375 px, with no console errors;
# verify a credential the DID issued; validate node/openapi.json against the OpenAPI 3.1 schema and the
# node's answers against the document's response schemas.
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
"$work/ionode" testnet --data-dir "$work/net" --listen "127.0.0.1:$port" > "$work/testnet.out" 2> "$work/testnet.log" &
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

# The API reference must be a valid OpenAPI 3.1 document and the node's answers must match its schemas
# (the Go test checks that it lists exactly the routes the node serves).
timeout --signal=TERM 120 node web/e2e/openapi.mjs node/openapi.json --node "$node" --did "$did"

code=0
# Bounded as a whole (each browser step also has its own 30 s limit); playwright closes Chromium on SIGTERM.
timeout --signal=TERM 600 node web/e2e/explorer.mjs --node "$node" --did "$did" --long-form "$long" --key-id "#key-1" \
  --vc "$(cat "$work/vc.jwt")" --screenshot-dir "$out" --chromium "$chromium" || code=$?
if [ -f "$out/explorer-desktop.png" ]; then cp "$out/explorer-desktop.png" "$out/explorer.png"; fi
if [ "$code" != 0 ]; then echo "explorer e2e: node log tail:"; tail -30 "$work/testnet.log"; fi
exit "$code"
