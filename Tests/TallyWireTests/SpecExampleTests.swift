import Foundation
import XCTest

/// The annotated hex of SPEC.md section 12 must be the bytes of Protocol/vectors, so the document
/// cannot drift from the tested vectors.
final class SpecExampleTests: XCTestCase {
    /// The bytes of each code block in section 12: the leading two-hex-digit tokens of every line.
    private func exampleBlocks() throws -> [[UInt8]] {
        let spec = try String(
            contentsOf: VectorFile.packageRoot().appendingPathComponent("Protocol/SPEC.md"), encoding: .utf8)
        guard let start = spec.range(of: "\n## 12. "), let end = spec.range(of: "\n## 13. ") else {
            throw VectorFile.FormatError(description: "SPEC.md has no section 12/13")
        }
        var blocks: [[UInt8]] = []
        var current: [UInt8]?
        for line in spec[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let block = current { blocks.append(block) }
                current = current == nil ? [] : nil
                continue
            }
            guard current != nil else { continue }
            for token in line.split(separator: " ") {
                guard token.count == 2, let byte = UInt8(token, radix: 16) else { break }
                current?.append(byte)
            }
        }
        return blocks
    }

    func testSection12BytesAreTheVectors() throws {
        var streams: [[UInt8]] = []
        for file in ["hello-exchange.hex", "unary-call.hex", "server-streaming.hex"] {
            let records = try VectorFile.load(file)
            for side in [VectorRecord.Direction.client, .server] {
                streams.append(records.filter { $0.direction == side }.flatMap(\.bytes))
            }
        }
        let blocks = try exampleBlocks()
        XCTAssertEqual(blocks.count, 6)
        XCTAssertGreaterThan(blocks.map(\.count).reduce(0, +), 350)
        for block in blocks {
            let found = streams.contains { stream in
                stream.count >= block.count
                    && (0...(stream.count - block.count)).contains { Array(stream[$0..<($0 + block.count)]) == block }
            }
            XCTAssertTrue(found, "SPEC.md example bytes not in any vector: \(block.hex)")
        }
    }
}
