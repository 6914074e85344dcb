#!/usr/bin/env bash
# Runs Tally from a fresh checkout: installs what is missing (PostgreSQL server binaries for the
# embedded database, libpq-dev and libssl-dev to build), builds in release mode and starts the server.
#   deploy/run.sh            -> tally serve (embedded PostgreSQL in ~/.local/share/tally, 127.0.0.1:7411,
#                               web dashboard, /metrics and /healthz on http://127.0.0.1:7480/)
#   deploy/run.sh demo       -> tally demo (a self-running scenario of about 5 seconds)
#   deploy/run.sh serve ARGS -> tally serve ARGS (e.g. --listen 0.0.0.0:7411 --database URL)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v pkg-config >/dev/null || need+=(pkg-config)
pkg-config --exists libpq 2>/dev/null || need+=(libpq-dev)
pkg-config --exists openssl 2>/dev/null || need+=(libssl-dev)
pkg-config --exists sqlite3 2>/dev/null || need+=(libsqlite3-dev)  # the client outbox (GRDB)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  # The Debian package starts a cluster of its own on port 5432; Tally does not need it.
fi
command -v swift >/dev/null || { echo "swift is not on PATH (expected /opt/swift/usr/bin)" >&2; exit 1; }

echo "building (swift build -c release)..." >&2
swift build -c release --product tally >&2
bin="$(swift build -c release --show-bin-path)/tally"

if [ $# -eq 0 ]; then exec "$bin" serve --http 127.0.0.1:7480; fi
command="$1"
shift
case "$command" in
  serve|demo) exec "$bin" "$command" "$@" ;;
  *) exec "$bin" "$command" "$@" ;;
esac
