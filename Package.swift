// swift-tools-version:6.0
// Tally: campaign progress reporting over a custom binary RPC protocol, persisted in PostgreSQL.
import PackageDescription

let package = Package(
    name: "Tally",
    // Synchronization's Mutex needs macOS 15.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tally", targets: ["tally"]),
        .library(name: "TallyClient", targets: ["TallyClient"]),
        // The durable offline outbox (SQLite), apart so that TallyClient alone needs no SQLite.
        .library(name: "TallyOutbox", targets: ["TallyOutbox"]),
        // The pure wire codec, for the fuzz package and for other tools that read Tally frames.
        .library(name: "TallyWire", targets: ["TallyWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Layer 1: the wire format. Pure: frames, preface, status codes, handshake messages.
        .target(
            name: "TallyWire",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // OpenSSL's C API (libssl, libcrypto), entered through one small module: TLS and SHA-256.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // Layer 2: the generic RPC runtime over raw sockets and Dispatch (and TLS). Knows no Tally service.
        .target(
            name: "TallyRPC",
            dependencies: [
                "TallyWire", "COpenSSL",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // Generated protobuf messages of Protocol/tally.proto, and one method descriptor per rpc of
        // tally.proto and bench.proto (Protocol/generate.sh).
        .target(
            name: "TallyMessages",
            dependencies: ["TallyWire", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // libpq's C API, entered through one small module.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // A small, safe Swift wrapper of libpq: connections, pool, typed values, migrations, local clusters.
        .target(
            name: "TallyStore",
            dependencies: ["CLibPQ"]
        ),
        // The domain: plan, validation, writer, change log, fan-out, totals, service handlers.
        .target(
            name: "TallyCore",
            dependencies: [
                "TallyStore", "TallyRPC", "TallyWire", "TallyMessages", "COpenSSL",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // The typed client library for departments and the central office.
        .target(
            name: "TallyClient",
            dependencies: [
                "TallyRPC", "TallyWire", "TallyMessages",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A department's offline outbox: writes that cannot reach the server wait in a local SQLite file
        // (GRDB), fsynced before they count as queued, and are delivered in order, exactly once, later.
        // Its own module so that programs that need no queue use TallyClient without SQLite.
        .target(
            name: "TallyOutbox",
            dependencies: [
                "TallyClient", "TallyMessages", "TallyWire",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // How figures, money, dates and labels read to people (the office's notation, terminal widths),
        // shared by the CLI and the web dashboard.
        .target(
            name: "TallyPresentation",
            dependencies: ["TallyCore", "TallyMessages", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // The operator's HTTP side door: live web dashboard, server-sent events, exports, metrics,
        // health and readiness, on Hummingbird (the RPC listener stays ours).
        .target(
            name: "TallyHTTP",
            dependencies: [
                "TallyCore", "TallyPresentation", "TallyMessages", "TallyStore", "TallyRPC", "TallyWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                // TLS on the side door: Hummingbird's own TLS story (HummingbirdTLS) is swift-nio-ssl.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // `tally bench`: the benchmark engine (load generators, direct baseline, server measurements).
        .target(
            name: "TallyBench",
            dependencies: [
                "TallyCore", "TallyClient", "TallyStore", "TallyRPC", "TallyWire", "TallyMessages",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The command-line tool.
        .executableTarget(
            name: "tally",
            dependencies: [
                "TallyCore", "TallyClient", "TallyOutbox", "TallyStore", "TallyBench", "TallyPresentation", "TallyMessages",
                "TallyRPC", "TallyWire", "TallyHTTP",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // For tests: throwaway PostgreSQL clusters and fresh databases, log capture, bounded polling,
        // and the assertion that a call ends with a given RPC status.
        .target(
            name: "TallyTestSupport",
            dependencies: ["TallyStore", "TallyWire", .product(name: "Logging", package: "swift-log")]
        ),
        // A running Tally server for tests: in process with a credential per role and request builders,
        // or the real `tally serve` as a process (CLI, kill -9 and soak tests).
        .target(
            name: "TallyServerTestSupport",
            dependencies: [
                "TallyCore", "TallyClient", "TallyStore", "TallyTestSupport", "TallyMessages", "TallyWire",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TallyWireTests",
            dependencies: ["TallyWire", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .testTarget(
            name: "TallyRPCTests",
            dependencies: [
                "TallyRPC", "TallyWire", "TallyTestSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "TallyStoreTests", dependencies: ["TallyStore", "TallyTestSupport"]),
        .testTarget(name: "TallyPresentationTests", dependencies: ["TallyPresentation", "TallyCore"]),
        .testTarget(
            name: "TallyCoreTests",
            dependencies: [
                "TallyCore", "TallyClient", "TallyStore", "TallyTestSupport", "TallyServerTestSupport", "TallyRPC",
                "TallyWire", "TallyMessages", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(
            name: "TallyHTTPTests",
            dependencies: [
                "TallyHTTP", "TallyCore", "TallyClient", "TallyStore", "TallyTestSupport", "TallyServerTestSupport",
                "TallyMessages", "TallyPresentation", "TallyRPC", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "TallyCLITests", dependencies: ["TallyTestSupport", "TallyServerTestSupport", "TallyStore", "TallyPresentation"]),
        // Faults, bad input and intruders (ISSUE 7): kill -9, database restarts, timeouts, fuzz corpus, access.
        .testTarget(
            name: "TallyFaultTests",
            dependencies: [
                "TallyCore", "TallyClient", "TallyStore", "TallyTestSupport", "TallyServerTestSupport", "TallyRPC",
                "TallyWire", "TallyMessages",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The offline outbox (ISSUE 18) against a real server process and a real database: delivery after
        // an outage, SIGKILL of client and server, stale versions, the period of a late delivery.
        .testTarget(
            name: "TallyOutboxTests",
            dependencies: [
                "TallyOutbox", "TallyClient", "TallyCore", "TallyStore", "TallyTestSupport", "TallyServerTestSupport",
                "TallyMessages", "TallyWire", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
