#!/bin/sh
# btcd regtest for docker-compose.yml. Environment:
#   BTCD_RPCUSER, BTCD_RPCPASS  RPC credentials (required)
#   WRITER_KEY                  writer key file; created on first start; blocks are mined to its address
#   MINE_INTERVAL               seconds between blocks mined by this container (0: none)
# The first start mines 250 blocks. Coinbase outputs can be spent only 100 blocks later, and the writer
# spends its largest output first: regtest's subsidy halves every 150 blocks, so after 250 blocks the
# 50 BTC coinbases of blocks 1-150 are all mature and larger than any coinbase still maturing.
set -eu
: "${BTCD_RPCUSER:?set BTCD_RPCUSER}" "${BTCD_RPCPASS:?set BTCD_RPCPASS}"
WRITER_KEY="${WRITER_KEY:-/keys/writer.key}"
MINE_INTERVAL="${MINE_INTERVAL:-10}"

# The certificate names the host btcd (the compose service) besides localhost; its key stays in /data.
if [ ! -f /rpc/rpc.cert ]; then
  gencerts -d /tmp/certs -H btcd -o ionode-compose
  mv /tmp/certs/rpc.cert /rpc/rpc.cert
  mv /tmp/certs/rpc.key /data/rpc.key
fi
ADDR="$(writerkey -network regtest -key "$WRITER_KEY")"
echo "btcd: mining to the writer address $ADDR"

ctl() { btcctl --regtest --rpcserver=127.0.0.1:18334 --rpccert=/rpc/rpc.cert --rpcuser="$BTCD_RPCUSER" --rpcpass="$BTCD_RPCPASS" "$@"; }
miner() {
  until ctl getblockcount >/dev/null 2>&1; do sleep 1; done
  height="$(ctl getblockcount)"
  if [ "$height" -lt 250 ]; then ctl generate $((250 - height)) >/dev/null; fi
  [ "$MINE_INTERVAL" -gt 0 ] || return 0
  while sleep "$MINE_INTERVAL"; do ctl generate 1 >/dev/null || true; done
}
miner &

exec btcd --regtest --datadir=/data/btcd --logdir=/data/logs \
  --rpclisten=0.0.0.0:18334 --rpcuser="$BTCD_RPCUSER" --rpcpass="$BTCD_RPCPASS" \
  --rpccert=/rpc/rpc.cert --rpckey=/data/rpc.key \
  --listen=0.0.0.0:18444 --txindex --miningaddr="$ADDR" --nodnsseed "$@"
