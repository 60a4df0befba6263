#!/usr/bin/env bash
# Scale test: a synthetic knowledge base of ENTRIES entries (default 100,000; see gen_kb.py),
# the time `index-build build` takes for it, the size of what it writes, and query latency
# p50/p90/p99 over 1,000 queries with it loaded from the directory (`shirube --kb DIR`) and
# with the embedded knowledge base, next to a substring-scan baseline (bench/scale.rs).
# Writes to target/scale (about 700 MB for 100,000 entries).
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${1:-100000}
work=target/scale
python3 bench/gen_kb.py "$work" "$entries"
cargo build --release --locked -p shirube-index-build
rm -rf "$work/out"
/usr/bin/time -f "index-build build: %e s wall, %M KB peak RSS" \
  target/release/index-build build "$work/kb" "$work/out" 2>&1 | grep -v warning
du -sh "$work/out/index" "$work/out/kb.json"
cargo bench --locked --bench scale -- "$work/out" "$work/queries.tsv"
# A whole process per query, as a user runs it: the header of 100,000 entries is decoded,
# and only the entries shown.
query=$(sed -n 1p "$work/queries.tsv")
hyperfine -N --warmup 2 --runs 10 "target/release/shirube --kb $work/out search '$query'" | grep -E "Time|Range"
