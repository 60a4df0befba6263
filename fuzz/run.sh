#!/usr/bin/env bash
# Runs every fuzz target (or those named) for MINUTES each under libFuzzer, with the address
# sanitizer, then prints how long each ran and what it found. Needs a nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`); the same targets run briefly on stable in
# `cargo test -p fuzz-targets`.
#
#   fuzz/run.sh            # 10 minutes each
#   MINUTES=60 fuzz/run.sh search triage_scan
#
# Crashes are written to fuzz/artifacts/TARGET/; reproduce one with
#   cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${MINUTES:-10}
targets=("$@")
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  start=$(date +%s)
  if cargo +nightly fuzz run "$target" -- -max_total_time=$((minutes * 60)) -rss_limit_mb=4096 \
      >"fuzz/$target.log" 2>&1; then
    result="clean"
  else
    result="FOUND A CRASH (see fuzz/$target.log and fuzz/artifacts/$target/)"
  fi
  # libFuzzer's closing line: `#1431658 DONE cov: ...` (its dictionary dump also has #s).
  runs=$(grep -Eo '^#[0-9]+[[:space:]]+DONE' "fuzz/$target.log" | tail -1 | grep -Eo '[0-9]+')
  echo "$target: $(( ($(date +%s) - start) / 60 )) min, ${runs:-0} inputs, $result"
done
