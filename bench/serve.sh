#!/usr/bin/env bash
# Load on `shirube serve`, on loopback only: 64 connections for DURATION seconds (default 20)
# asking a mix of pasted logs, Japanese and English symptoms (bench/serve.lua), with wrk
# (apt-get install wrk). Prints requests/s, latency percentiles, and the server's peak RSS.
# Needs a release build (cargo build --release, or SHIRUBE=path/to/shirube).
set -euo pipefail
cd "$(dirname "$0")/.."
shirube=${SHIRUBE:-target/release/shirube}
duration=${1:-20}
log=$(mktemp)
"$shirube" serve --addr 127.0.0.1:0 --max-concurrent 64 >"$log" &
server=$!
trap 'kill "$server" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 50); do grep -q http "$log" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$log" | head -1)
url=${url%/}
wrk -t1 -c64 -d"${duration}s" --latency -s bench/serve.lua "$url" | grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx|requests in"
echo "peak RSS: $(grep VmHWM /proc/$server/status | awk '{print $2, $3}')"
