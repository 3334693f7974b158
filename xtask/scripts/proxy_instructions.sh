#!/bin/bash
# Instructions per proxied request, repeatable on a busy machine (BENCHMARKS.md):
#   xtask/scripts/proxy_instructions.sh graph|dialog [N]
# Needs `cargo build --release -p flowsmith-server --bin flowsmith --example bench_stub` and
# valgrind. Starts bench_stub (Graph or Partner shape) and `flowsmith serve` under callgrind
# with instrumentation off, sends 300 warm-up GETs on one kept-alive curl connection, then
# counts the instructions of N more (2,000 by default).
set -euo pipefail
MODE=${1:?graph or dialog}; N=${2:-2000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d); mkdir -p "$WORK/app"; echo '<!doctype html>' > "$WORK/app/index.html"
STUB_PORT=18190; PORT=18191
if [ "$MODE" = graph ]; then
  "$ROOT/target/release/examples/bench_stub" $STUB_PORT 0 graph > "$WORK/stub.log" 2>&1 &
  ARGS=(--mode graph --waba-id 102290129340398 --graph-url "http://127.0.0.1:$STUB_PORT/v21.0")
  export FLOWSMITH_GRAPH_TOKEN=bench-graph-token-0123456789
  URL="http://127.0.0.1:$PORT/api/v2/partners/meta/waba_accounts/102290129340398/flows"
else
  "$ROOT/target/release/examples/bench_stub" $STUB_PORT 0 > "$WORK/stub.log" 2>&1 &
  ARGS=(--upstream-url "http://127.0.0.1:$STUB_PORT")
  export FLOWSMITH_PARTNER_API_KEY=bench-key
  URL="http://127.0.0.1:$PORT/api/v2/partners/p1/waba_accounts/w1/flows"
fi
STUB=$!
FLOWSMITH_LOG=warn valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$WORK/callgrind.out" \
  "$ROOT/target/release/flowsmith" serve --port $PORT --app-dir "$WORK/app" --data-dir "$WORK/data" "${ARGS[@]}" \
  > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 120); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 1; done
urls() { for _ in $(seq "$1"); do echo "url = \"$URL\""; echo "output = /dev/null"; done; }
urls 300 > "$WORK/warm.cfg"; urls "$N" > "$WORK/run.cfg"
curl -s -K "$WORK/warm.cfg" -w '%{http_code}\n' | sort | uniq -c
callgrind_control -i on $SERVER > /dev/null
curl -s -K "$WORK/run.cfg" -w '%{http_code}\n' | sort | uniq -c
callgrind_control -i off $SERVER > /dev/null
callgrind_control -d $SERVER > /dev/null
sleep 1
kill $SERVER $STUB; wait 2> /dev/null || true
TOTAL=$(callgrind_annotate "$(ls "$WORK"/callgrind.out* | tail -1)" 2> /dev/null | awk '/PROGRAM TOTALS/{gsub(",","",$1); print $1}')
echo "$MODE: $((TOTAL / N)) instructions per request ($TOTAL for $N; profile in $WORK)"
