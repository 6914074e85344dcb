// swift-tools-version:6.0
// libFuzzer targets for Tally's wire layer and connection state machines. A package of its own so
// the sanitizer flags never touch the main build; run through ./run.sh (see PLATFORM-NOTES.md,
// "Fuzzing Swift with libFuzzer").
import PackageDescription

let package = Package(
    name: "TallyFuzz",
    dependencies: [
        // The Tally package: its TallyWire product (the frame decoder), and TallyClient for the
        // connection state machines of TallyRPC, which is not a product (TallyClient -> TallyRPC).
        .package(name: "Tally", path: "..")
    ],
    targets: [
        // SwiftPM links an executable through `<module>_main`; this C file provides it and hands
        // control to libFuzzer's driver.
        .executableTarget(name: "FrameDecoderFuzzerMain", dependencies: ["FrameDecoderFuzzer"]),
        // LLVMFuzzerTestOneInput over FrameDecoder and both connection state machines
        // (ConnectionFuzz.swift is a link to the test's Tests/TallyFaultTests/ConnectionFuzzDriver.swift).
        .target(
            name: "FrameDecoderFuzzer",
            dependencies: [
                .product(name: "TallyWire", package: "Tally"),
                .product(name: "TallyClient", package: "Tally"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
