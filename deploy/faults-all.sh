#!/usr/bin/env bash
# Runs the fault, abuse and access tests (TallyFaultTests), then the fuzzer for RUNS inputs
# (default 1,000,000) over the frame decoder and both connection state machines.
#   deploy/faults-all.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --disable-swift-testing --skip-build --filter TallyFaultTests
fuzz/run.sh "${1:-1000000}"
