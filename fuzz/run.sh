#!/usr/bin/env bash
# Builds the FrameDecoder fuzz target with libFuzzer + AddressSanitizer and runs it.
#   fuzz/run.sh [RUNS] [extra libFuzzer flags...]      RUNS defaults to 1000000
# New interesting inputs go to a scratch corpus in .build (the committed fuzz/corpus stays a small
# seed set); a crasher is written to fuzz/corpus/crash-<sha1>: commit it after fixing the bug, and
# FuzzCorpusReplayTests replays it in every `swift test`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
runs=${1:-1000000}
shift || true
export SWIFT_BACKTRACE=enable=no   # Swift's backtracer trips AddressSanitizer otherwise
# ld.gold warns once per ASan helper symbol ("Cannot export local symbol"); those are harmless.
swift build -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -v "Cannot export local symbol" || true
binary="$(swift build -Xswiftc -sanitize=fuzzer,address --show-bin-path)/FrameDecoderFuzzerMain"
[ -x "$binary" ] || { echo "build failed: no $binary" >&2; exit 1; }
work="$here/.build/corpus"
mkdir -p "$work"
"$binary" -runs="$runs" -max_len=4096 -print_final_stats=1 \
  -artifact_prefix="$here/corpus/" "$@" "$work" "$here/corpus"
