#!/usr/bin/env bash
# Tests Tally on a machine that has never seen it: installs what is missing (PostgreSQL server
# binaries, libpq-dev, libssl-dev and the openssl command, protobuf is not needed: generated code is committed), then runs the whole
# test suite. The tests start their own throwaway PostgreSQL cluster (or use
# TALLY_TEST_DATABASE_URL when set) and remove it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v pkg-config >/dev/null || need+=(pkg-config)
pkg-config --exists libpq 2>/dev/null || need+=(libpq-dev)
pkg-config --exists openssl 2>/dev/null || need+=(libssl-dev)
command -v openssl >/dev/null || need+=(openssl)       # the TLS tests make certificates with it
command -v curl >/dev/null || need+=(curl)             # the HTTPS side-door tests check the certificate with it
command -v ip >/dev/null || need+=(iproute2)           # the network-namespace test (needs root)
pkg-config --exists sqlite3 2>/dev/null || need+=(libsqlite3-dev)  # the client outbox (GRDB)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || need+=(postgresql)
command -v valgrind >/dev/null || true
# The web dashboard's browser test drives a real headless Chromium through chromedriver; the CJK
# font makes its screenshots readable.
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || need+=(fonts-wqy-zenhei)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "swift is not on PATH (expected /opt/swift/usr/bin)"; exit 1; }

# All tests are XCTest: disable Swift Testing so the last summary counts the tests that ran.
exec swift test --disable-swift-testing "$@"
