import TallyClient
import TallyWire
import XCTest

/// The client library never sends a token in clear beyond loopback unless told to, and the
/// `tallys://` convention parses as the README says.
final class ClientSecurityTests: XCTestCase {
    func testTokenIsRefusedInClearBeyondLoopbackBeforeAnyConnection() async throws {
        // 192.0.2.1 is TEST-NET-1: nothing answers there, so only a refusal can end the call quickly.
        let client = TallyClient(host: "192.0.2.1", port: 7411, token: "tly_secret", callTimeout: .seconds(30))
        let started = ContinuousClock.now
        do {
            _ = try await client.listMine()
            XCTFail("a token was sent in clear")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .unavailable)
            XCTAssertTrue(error.message.contains("refusing to send the token in clear to 192.0.2.1:7411"), error.message)
        }
        var stream = client.watch().makeAsyncIterator()
        do {
            _ = try await stream.next()
            XCTFail("a watch sent the token in clear")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .unavailable)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
        await client.close()
    }

    func testServerEndpointConvention() {
        XCTAssertEqual(ServerEndpoint(parsing: "tallys://tally.example:7500"),
                       ServerEndpoint(address: ServerAddress(host: "tally.example", port: 7500), usesTLS: true))
        XCTAssertEqual(ServerEndpoint(parsing: "tally://[::1]:7411")?.usesTLS, false)
        XCTAssertEqual(ServerEndpoint(parsing: "10.0.0.5")?.address, ServerAddress(host: "10.0.0.5", port: 7411))
        XCTAssertEqual(ServerEndpoint(parsing: "TALLYS://h:1/")?.description, "tallys://h:1")
        XCTAssertNil(ServerEndpoint(parsing: "https://h:1"))
    }
}
