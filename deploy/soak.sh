#!/usr/bin/env bash
# The soak test (ISSUE 7): the real `tally serve` at half its measured maximum update rate, with three
# watchers, for SECONDS (default 600). Prints RSS every 30 s and at 1/5/10 minutes, then a SOAK line
# with the rate, errors and the accounting of every update (each acknowledged once in the database,
# each watcher saw every change once).
#   deploy/soak.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
swift build --build-tests
TALLY_SOAK_SECONDS=$seconds swift test --disable-swift-testing --skip-build \
  --filter 'TallyFaultTests.SoakTests' 2>&1 | grep -E '^soak|^SOAK|error|Executed|passed|failed'
