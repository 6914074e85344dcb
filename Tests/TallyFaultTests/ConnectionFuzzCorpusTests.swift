import Foundation
import XCTest

/// Replays fuzz/corpus (seeds, inputs the fuzzer found interesting, past crashers) through the
/// connection state machines exactly as the fuzz target does, so a fixed crash stays fixed.
final class ConnectionFuzzCorpusTests: XCTestCase {
    func testCorpusReplaysThroughBothConnectionStateMachines() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let corpus = root.appendingPathComponent("fuzz/corpus")
        let files = try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
        XCTAssertGreaterThanOrEqual(files.count, 9, "the corpus is missing from \(corpus.path)")
        for file in files { ConnectionFuzz.run([UInt8](try Data(contentsOf: file))) }
        // The fuzz target compiles this same file through a symlink; the link must stay intact.
        let fuzzCopy = try String(contentsOf: root.appendingPathComponent("fuzz/Sources/FrameDecoderFuzzer/ConnectionFuzz.swift"), encoding: .utf8)
        let here = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("ConnectionFuzzDriver.swift"), encoding: .utf8)
        XCTAssertEqual(here, fuzzCopy, "Tests/TallyFaultTests/ConnectionFuzzDriver.swift differs from the fuzz target's copy")
        // A handshaken session with a call, a message, a ping and a cancel reaches the active state.
        ConnectionFuzz.run([3, 8, 0] + Array(repeating: 0x10, count: 10))
    }
}
