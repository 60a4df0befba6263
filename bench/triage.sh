#!/usr/bin/env bash
# Triage throughput: `shirube triage` against `rg -c` with the same literals (the known
# errors' anchor words) on the same generated log, in one hyperfine run.
# Usage: bench/triage.sh [MEGABYTES]   (default 1000). Needs hyperfine and rg
# (apt-get install hyperfine ripgrep) and a release build (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1000}
log=$(mktemp --suffix=.log)
trap 'rm -f "$log"' EXIT
python3 bench/gen_log.py "$log" "$size"
shirube=target/release/shirube
# The anchor words the prefilter uses (src/known_errors.rs): for each known error with three
# or more variable-free words, the one of 4+ letters that logs do not print all the time
# (crates/analysis/src/log_words.rs), of those the one fewest known errors share, the
# longest of equally rare ones.
mapfile -t words < <("$shirube" export --format json | python3 -c '
import collections, json, re, sys
errors = []
for e in json.load(sys.stdin)["entries"]:
    for err in e["errors"]:
        ws = [w.lower() for w in re.split(r"[^\w]+", err) if w and not re.search(r"\d", w)
              and not (w.isupper() and "_" in w)]
        if len(ws) >= 3:
            errors.append(ws)
sharing = collections.Counter(w for ws in errors for w in set(ws))
common = set(re.findall(r"\"(\w+)\",", open("crates/analysis/src/log_words.rs").read()))
words = set()
for ws in errors:
    long = [w for w in ws if len(w) >= 4] or ws
    words.add(min(long, key=lambda w: (w in common, sharing[w], -len(w))))
print("\n".join(sorted(words)))')
args=()
for w in "${words[@]}"; do args+=(-e "$w"); done
echo "log: $(du -h "$log" | cut -f1), ${#words[@]} literals"
hyperfine --warmup 1 --runs 5 --export-json bench/triage.json \
  "$shirube triage $log" \
  "rg -c -i -F ${args[*]} $log"
/usr/bin/time -v "$shirube" triage "$log" 2>&1 >/dev/null | grep -E "Maximum resident"
