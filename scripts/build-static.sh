#!/usr/bin/env bash
# Builds the release binary as one fully static executable (no loader, no libraries beside
# it), to copy to an air-gapped host: target/x86_64-unknown-linux-gnu/release/shirube
#
# glibc's crt-static rather than musl: it needs no extra rustup target, so it works on a
# fresh machine with only the toolchain. The explicit --target keeps the flag off build
# scripts and proc-macros, which must stay dynamic host programs.
#
# relocation-model=static makes a classic static executable instead of a static-pie one: a
# static-pie binary relocates itself at every start, and for ours that touched ~150 pages
# (perf record -e page-faults: _dl_relocate_object) of a 10 ms process.
set -euo pipefail
cd "$(dirname "$0")/.."
RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=static" cargo build --release --locked --target x86_64-unknown-linux-gnu
binary=target/x86_64-unknown-linux-gnu/release/shirube
file "$binary" 2>/dev/null || true
ls -l "$binary"
