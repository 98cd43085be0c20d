#!/usr/bin/env bash
# The benchmark run (see BENCHMARKS.md): floor, indexing, peers, a million documents in
# process, and HTTP under load. Needs ../shared beside the project and root for apt-get (wrk,
# the peers' JDK). Results go to target/bench/results.jsonl and the summary to stdout.
#
#   bash bench/run.sh                 # everything (~16 minutes on 2 cores; the first run also sets up the peers)
#   STEPS="floor index" bash bench/run.sh
#   DOCS=200000 bash bench/run.sh     # a smaller "million"
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
OUT=${OUT:-target/bench}
DOCS=${DOCS:-1000000}
STEPS=${STEPS:-"prepare floor index peers million search http"}
PEER_ENGINES=${PEER_ENGINES:-"tantivy sqlite lucene pyserini"}
HTTP_SECONDS=${HTTP_SECONDS:-20}
JINDU=target/release/jindu
RESULTS=$OUT/results.jsonl
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
log() { printf '\n== %s\n' "$*" >&2; }

log "build (release)"
cargo build --release -q
[ -f "$RESULTS" ] && mv "$RESULTS" "$RESULTS.previous"
echo "{\"step\": \"machine\", \"cores\": $(nproc), \"date\": \"$(date -u +%FT%TZ)\", \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" > "$RESULTS"

if has prepare || [ ! -f "$OUT/news-jindu.jsonl" ]; then
  log "prepare: news → jindu and peer JSONL, query set"
  $JINDU bench prepare --news "$SHARED/data/news/news.jsonl" --out "$OUT" | tee -a "$RESULTS"
fi

if has floor; then
  log "floor: jieba search mode, HMM off, all cores"
  $JINDU bench floor --input "$OUT/news-jindu.jsonl" | tee -a "$RESULTS"
fi

if has index; then
  log "index: the 68k news articles"
  $JINDU bench index --input "$OUT/news-jindu.jsonl" --index "$OUT/news-index" | tee -a "$RESULTS"
  log "search: the 68k news articles"
  $JINDU bench search --index "$OUT/news-index" --queries "$OUT/queries.txt" | sed 's/"step":"search"/"step":"search68k"/' | tee -a "$RESULTS"
fi

if has peers; then
  PEERS=target/peers
  if [ ! -x "$PEERS/.venv/bin/python" ]; then
    log "peers: setup (apt-get, venv)"
    rm -rf "$PEERS" && mkdir -p "$PEERS" && cp -r "$SHARED/peers/." "$PEERS/" && chmod -R u+w "$PEERS"
    (cd "$PEERS" && bash setup.sh >&2)
  fi
  for engine in $PEER_ENGINES; do
    log "peer $engine: index"
    (cd "$PEERS" && .venv/bin/python peer.py index --engine "$engine" --input "$OLDPWD/$OUT/news-peers.jsonl" \
        --index-dir "$OLDPWD/$OUT/peers/$engine") | grep '^{' | sed "s/^{/{\"step\": \"peer_index\", /" | tee -a "$RESULTS"
    log "peer $engine: search"
    (cd "$PEERS" && .venv/bin/python peer.py search --engine "$engine" --index-dir "$OLDPWD/$OUT/peers/$engine" \
        --queries "$OLDPWD/$OUT/queries.txt" --op or --warmup 1000) | sed "s/^{/{\"step\": \"peer_search\", \"engine\": \"$engine\", /" | tee -a "$RESULTS"
  done
fi

if has million; then
  if [ ! -f "$OUT/million.jsonl" ]; then
    log "million: write $DOCS documents"
    $JINDU bench million --docs "$DOCS" --news "$SHARED/data/news/news.jsonl" --out "$OUT/million.jsonl" | tee -a "$RESULTS"
  fi
  log "million: index"
  $JINDU bench index --input "$OUT/million.jsonl" --index "$OUT/million-index" | sed 's/"step":"index"/"step":"index_million"/' | tee -a "$RESULTS"
fi

if has search; then
  log "search: $DOCS documents, in process"
  $JINDU bench search --index "$OUT/million-index" --queries "$OUT/queries.txt" | tee -a "$RESULTS"
fi

# Serves index $1 and loads it with wrk at each concurrency in $3; results are labelled $2.
http_run() {
  local index=$1 label=$2 concurrencies=$3
  log "http: jindu serve on the $label index"
  started=$(date +%s.%N)
  $JINDU serve --addr 127.0.0.1:0 --index "$index" > "$OUT/serve.out" 2> "$OUT/serve.err" &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  until grep -q listening "$OUT/serve.out" 2>/dev/null; do sleep 0.02; done
  ADDR=$(sed -n 's/^listening on //p' "$OUT/serve.out")
  until curl -sf "$ADDR/readyz" >/dev/null; do sleep 0.02; done
  ready=$(python3 -c "import time; print(round(time.time() - $started, 3))")
  echo "{\"step\": \"ready\", \"index\": \"$label\", \"seconds\": $ready}" | tee -a "$RESULTS"
  for c in $concurrencies; do
    threads=$(( c < 2 ? 1 : 2 ))
    QUERIES="$OUT/queries.txt" wrk -t"$threads" -c"$c" -d"${HTTP_SECONDS}s" --latency -s bench/queries.lua "$ADDR" > "$OUT/wrk-$label-$c.txt"
    python3 bench/wrk_json.py "$OUT/wrk-$label-$c.txt" "$c" "$label" | tee -a "$RESULTS"
    rss=$(awk '/RssAnon/ {print $2}' /proc/$SERVER/status)
    echo "{\"step\": \"serve_memory\", \"index\": \"$label\", \"concurrency\": $c, \"rss_anon_mb\": $(python3 -c "print(round($rss*1024/1e6, 1))")}" | tee -a "$RESULTS"
  done
  kill $SERVER; wait $SERVER 2>/dev/null || true
  trap - EXIT
}

if has http; then
  command -v wrk >/dev/null || apt-get install -y -q wrk >&2
  http_run "$OUT/million-index" million "1 16 64"
  # The same load on the 68k news index, the set the peers' in-process QPS is measured on.
  [ -d "$OUT/news-index" ] && http_run "$OUT/news-index" news68k "16"
fi

log "summary"
python3 bench/report.py "$RESULTS"
