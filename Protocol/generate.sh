#!/usr/bin/env bash
# Regenerates the Swift code of Protocol/*.proto (committed, so builds never need protoc).
#   wire.proto   -> Sources/TallyWire/Generated/   (the wire module owns its handshake messages)
#   tally.proto  -> Sources/TallyMessages/Generated/
# and one method descriptor per rpc (generate-methods.py, needs python3), used by client and server:
#   health.proto -> Sources/TallyWire/Generated/health.methods.swift (the runtime serves it)
#   tally.proto  -> Sources/TallyMessages/Generated/tally.methods.swift
#                   and Sources/TallyClient/Generated/tally.client.swift (a typed stub per unary rpc)
#   bench.proto  -> Sources/TallyMessages/Generated/bench.methods.swift (methods of `tally bench`)
# Needs protoc (apt-get install protobuf-compiler) and protoc-gen-swift built from the
# swift-protobuf package this project depends on; the plugin build is slow (minutes), so it is
# cached in .build-protoc/ (git-ignored). Set PROTOC_GEN_SWIFT to use a plugin you already have.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! command -v protoc >/dev/null; then
  echo "installing protobuf-compiler ..." >&2
  apt-get install -y protobuf-compiler >/dev/null
fi
plugin=${PROTOC_GEN_SWIFT:-}
if [ -z "$plugin" ]; then
  swift build -c release --product protoc-gen-swift --scratch-path .build-protoc >&2
  plugin="$root/.build-protoc/release/protoc-gen-swift"
fi
gen() { # proto file, output dir
  mkdir -p "$2"
  protoc --proto_path=Protocol --plugin=protoc-gen-swift="$plugin" \
    --swift_out=Visibility=Public:"$2" --swift_opt=FileNaming=PathToUnderscores "$1"
}
gen wire.proto Sources/TallyWire/Generated
gen tally.proto Sources/TallyMessages/Generated
methods() { # proto file, output file, modules to import
  python3 Protocol/generate-methods.py "Protocol/$1" "$2" "${@:3}"
}
methods health.proto Sources/TallyWire/Generated/health.methods.swift
methods tally.proto Sources/TallyMessages/Generated/tally.methods.swift --import TallyWire \
  --client Sources/TallyClient/Generated/tally.client.swift
methods bench.proto Sources/TallyMessages/Generated/bench.methods.swift --import TallyWire
echo "generated: $(ls Sources/TallyWire/Generated Sources/TallyMessages/Generated Sources/TallyClient/Generated | tr '\n' ' ')"
