import Foundation
import TallyWire
import XCTest

/// Replays every input of fuzz/corpus (seeds and past crashers) through FrameDecoder, the way the
/// fuzz target does, so a fixed crash stays fixed in plain `swift test` runs.
final class FuzzCorpusReplayTests: XCTestCase {
    func testReplayCorpus() throws {
        let corpus = try VectorFile.packageRoot().appendingPathComponent("fuzz/corpus")
        let files = try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.path < $1.path }
        XCTAssertGreaterThanOrEqual(files.count, 6, "the seed corpus is missing from \(corpus.path)")
        for file in files {
            let input = [UInt8](try Data(contentsOf: file))
            // The fuzz target's rules: skip a leading preface, limit 1024, compare splits with one shot.
            var bytes = input[...]
            if bytes.starts(with: Preface.bytes) { bytes = bytes.dropFirst(Preface.count) }
            let stream = Array(bytes)
            let whole = decodeAllAtOnce(stream, maxFrameSize: 1024)
            XCTAssertEqual(whole, referenceDecode(stream, maxFrameSize: 1024), file.lastPathComponent)
            XCTAssertEqual(decodeByteByByte(stream, maxFrameSize: 1024), whole, file.lastPathComponent)
            XCTAssertLessThan(whole.peakBuffered, Frame.headerSize + 1024)
        }
    }
}
