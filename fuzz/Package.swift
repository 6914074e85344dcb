// swift-tools-version:6.0
// libFuzzer targets for Tally's wire layer. A package of its own so the sanitizer flags never touch
// the main build; run through ./run.sh (see PLATFORM-NOTES.md, "Fuzzing Swift with libFuzzer").
import PackageDescription

let package = Package(
    name: "TallyFuzz",
    dependencies: [
        // The Tally package. TallyWire is not a product of its own, so the fuzzer reaches it through
        // the TallyClient product, which depends on it (TallyClient -> TallyRPC -> TallyWire).
        .package(name: "Tally", path: "..")
    ],
    targets: [
        // SwiftPM links an executable through `<module>_main`; this C file provides it and hands
        // control to libFuzzer's driver.
        .executableTarget(name: "FrameDecoderFuzzerMain", dependencies: ["FrameDecoderFuzzer"]),
        // LLVMFuzzerTestOneInput over FrameDecoder.
        .target(
            name: "FrameDecoderFuzzer",
            dependencies: [.product(name: "TallyClient", package: "Tally")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
