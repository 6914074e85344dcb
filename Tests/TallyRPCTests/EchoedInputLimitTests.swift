import XCTest
@testable import TallyRPC
import TallyWire

/// A status that echoes what the client sent stays small, over a real socket: the client's HELLO
/// declares max_frame_size 65536 and its CALL names a 100 KB method.
final class EchoedInputLimitTests: XCTestCase {
    func testUnknownHugeMethodIsQuotedShortWithinThePeersFrameLimit() async throws {
        let (server, port) = try startServer()
        let socket = try RawSocket(port: port)
        let method = "/x.Y/" + String(repeating: "Z", count: 100_000)
        socket.send(Preface.bytes + Wire.hello(maxFrameSize: 65_536) + Wire.call(1, method))
        let frames = socket.readFrames(until: .status)
        for frame in frames {
            XCTAssertLessThanOrEqual(frame.payload.count, 65_536, "\(frame.type) frame of \(frame.payload.count) bytes")
        }
        let status = try XCTUnwrap(frames.last.flatMap { try? Tally_Wire_V1_Status(serializedBytes: $0.payload) })
        XCTAssertEqual(status.code, StatusCode.unimplemented.rawValue)
        XCTAssertEqual(status.message, "unknown method " + String(method.prefix(64)) + "…")
        socket.close()
        await server.shutdown()
    }
}
