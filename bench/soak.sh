#!/usr/bin/env bash
# Soak test: jindu serve on a copy of the bundled corpus's index, searches and writes mixed
# for SECONDS (default 300), loopback only; prints errors (must be 0; overloaded answers
# counted apart), latency percentiles and the server's RssAnon over time (must be flat).
#   bash bench/soak.sh            SOAK_SECONDS=600 SEARCHERS=16 WRITERS=4 bash bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# (not $SECONDS: bash counts the seconds since the shell started in it)
SECONDS_TO_RUN=${SOAK_SECONDS:-300}
OUT=${OUT:-target/soak}
KEY=${KEY:-soak-key-0123456789abcdef}
cargo build --release -q
JINDU=target/release/jindu
rm -rf "$OUT" && mkdir -p "$OUT"
[ -f target/bench/queries.txt ] || $JINDU bench prepare --out target/bench >/dev/null
JINDU_API_KEY=$KEY $JINDU serve --addr 127.0.0.1:0 --index "$OUT/index" > "$OUT/serve.out" 2> "$OUT/serve.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until grep -q listening "$OUT/serve.out" 2>/dev/null; do sleep 0.05; done
ADDR=$(sed -n 's|^listening on http://||p' "$OUT/serve.out")
until curl -sf "http://$ADDR/readyz" >/dev/null; do sleep 0.1; done
JINDU_API_KEY=$KEY $JINDU bench soak --addr "$ADDR" --seconds "$SECONDS_TO_RUN" --pid $SERVER \
  --searchers "${SEARCHERS:-8}" --writers "${WRITERS:-2}" | tee "$OUT/soak.json"
python3 - "$OUT/soak.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["report"]
rss = r["rss_anon_mb"]
print(f"\n{r['seconds']:.0f} s: {r['searches']} searches, {r['writes']} writes, {r['errors']} errors, {r['overloaded']} overloaded")
print(f"search ms p50/p95/p99/max: {r['search_ms']}; write ms: {r['write_ms']}")
if rss:
    half = len(rss) // 2 or 1
    print(f"RssAnon MB: first {rss[0]}, min {min(rss)}, max {max(rss)}, last {rss[-1]}; "
          f"mean of the second half minus the first half: {sum(rss[half:])/len(rss[half:]) - sum(rss[:half])/half:+.1f} MB")
sys.exit(1 if r["errors"] else 0)
PY
