#!/usr/bin/env bash
# Cold-start search latency: whole `shirube search` processes (a Japanese and an English
# symptom, a pasted log line) against `rg` on the page text, in one hyperfine run; prints
# medians, the ratio to rg, and peak RSS. Needs hyperfine and rg (apt-get install hyperfine
# ripgrep) and a release build (cargo build --release, or SHIRUBE=path/to/shirube). To
# compare two builds, copy both binaries into one folder first: on the development machine
# the same binary run from target/ measured 0.4-0.5 ms slower than a copy elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
shirube=${SHIRUBE:-target/release/shirube}
page=kb/anthos-bm/page.ja.txt
hyperfine -N --warmup 5 --runs 50 --export-json bench/search.json \
  "$shirube search 証明書の更新が失敗する" \
  "$shirube search 'Docker service is not active'" \
  "$shirube search 'F1103 02:11:07.551020 1 server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied'" \
  "rg -c 証明書 $page" >/dev/null
python3 - <<'PY'
import json
results = json.load(open("bench/search.json"))["results"]
rg = next(r for r in results if r["command"].startswith("rg"))["median"]
for r in results:
    print(f"{r['median'] * 1000:7.2f} ms median  {r['median'] / rg:5.2f}x rg  {r['command'][:90]}")
PY
for query in 証明書の更新が失敗する 'Docker service is not active'; do
  /usr/bin/time -f "%M KB peak RSS  search $query" "$shirube" search "$query" >/dev/null
done
