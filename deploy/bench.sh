#!/bin/sh
# Builds Tally in release mode and runs the whole benchmark (`tally bench --mode all`) on a
# throwaway PostgreSQL cluster (fsync and synchronous_commit on). The baseline and Tally's updates
# phase run three times, alternating, and Tally / baseline is judged over all three, so a machine
# whose speed drifts during the run weighs on both alike. Extra arguments go to `tally bench` (a
# later option wins), e.g. `deploy/bench.sh --duration 20 --departments 128 --rounds 1`.
# Exit status: 0 when every correctness check passed, 1 when one failed, 2 when the run failed.
set -eu
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release --product tally
exec .build-release/release/tally bench --mode all --rounds 3 "$@"
