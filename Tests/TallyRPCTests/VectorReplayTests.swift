import Foundation
import TallyRPC
import TallyWire
import XCTest

/// Replays the client side of Protocol/vectors/*.hex against a real server and expects, byte for
/// byte, the server side of the vector: the spec's examples are what the server really sends.
final class VectorReplayTests: XCTestCase {
    func testHelloExchangeIsByteForByteTheVector() async throws {
        try await replay("hello-exchange.hex")
    }

    func testUnaryHealthCheckIsByteForByteTheVector() async throws {
        try await replay("unary-call.hex")
    }

    private func replay(_ name: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let records = try Self.load(name)
        let (server, port) = try startServer(router: Router()) { $0.peerName = "tally-server/1" }
        let socket = try RawSocket(port: port)
        socket.send(records.filter { $0.client }.flatMap(\.bytes))
        let expected = records.filter { !$0.client }.flatMap(\.bytes)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < expected.count {
            let count = buffer.withUnsafeMutableBytes { read(socket.fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            received += buffer[0..<count]
        }
        XCTAssertEqual(Self.hex(received), Self.hex(expected), "server bytes differ from \(name)", file: file, line: line)
        socket.close()
        await server.shutdown()
    }

    private struct Record {
        var client: Bool
        var bytes: [UInt8]
    }

    /// Reads `C:`/`S:` records (hex, spaces allowed) of a vector file; `#` lines are comments.
    private static func load(_ name: String) throws -> [Record] {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            guard directory.path != "/" else { throw RPCError(.notFound, "no Package.swift above \(#filePath)") }
            directory = directory.deletingLastPathComponent()
        }
        let text = try String(contentsOf: directory.appendingPathComponent("Protocol/vectors/\(name)"), encoding: .utf8)
        return try text.split(separator: "\n").compactMap { raw -> Record? in
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("C:") || line.hasPrefix("S:") else { return nil }
            let digits = Array(line.dropFirst(2).filter { !$0.isWhitespace })
            guard digits.count % 2 == 0 else { throw RPCError(.invalidArgument, "odd hex in \(name): \(line)") }
            let bytes = try stride(from: 0, to: digits.count, by: 2).map { index -> UInt8 in
                guard let byte = UInt8(String(digits[index...index + 1]), radix: 16) else {
                    throw RPCError(.invalidArgument, "bad hex in \(name): \(line)")
                }
                return byte
            }
            return Record(client: line.hasPrefix("C:"), bytes: bytes)
        }
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
