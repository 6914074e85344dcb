import Logging
import XCTest
@testable import TallyRPC
import TallyTestSupport
import TallyWire

/// An error that becomes a status keeps its cause for the server's log; the client receives only
/// the code, message and metadata.
final class ErrorCauseTests: XCTestCase {
    struct DiskOnFire: Error, CustomStringConvertible {
        var description: String { "disk on fire at /var/lib/secret" }
    }

    func testTheCauseIsLoggedAndNeverSent() async throws {
        let lines = LogCapture()
        let router = Router()
        router.registerUnary("/test.v1.Cause/Fail", StringValue.self, StringValue.self) { _, _ in
            throw RPCError(.unavailable, "database unavailable, retry", cause: DiskOnFire())
        }
        let server = RPCServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), router: router,
                               logger: Logger(label: "test", factory: lines.handler))
        let port = try server.start()
        let client = makeClient(port: port)
        let error = await assertStatus(.unavailable) {
            try await client.unary("/test.v1.Cause/Fail", string("x"), as: StringValue.self)
        }
        XCTAssertEqual(error, RPCError(.unavailable, "database unavailable, retry"))
        XCTAssertNil(error?.cause, "a cause crossed the wire")
        XCTAssertFalse(error?.debugDescription.contains("disk on fire") ?? true)
        // The server logs before it sends the status, so the line is there once the call has ended.
        XCTAssertTrue(lines.all.contains { $0.contains("call failed") && $0.contains("disk on fire") }, "\(lines.all)")
        XCTAssertEqual(RPCError(.internalError, "internal error", cause: DiskOnFire()).debugDescription,
                       "INTERNAL: internal error (cause: disk on fire at /var/lib/secret)")
        await client.close()
        await server.shutdown()
    }
}
