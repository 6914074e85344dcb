import Synchronization
import XCTest
@testable import TallyRPC
import TallyTestSupport
import TallyWire

/// Interceptors given when a method is registered (how Tally's read-your-writes wait is a router
/// step): they run for that method only, after the router's own, and before its handler.
final class MethodInterceptorTests: XCTestCase {
    /// The steps calls ran, in order.
    final class Trail: Sendable {
        private let steps = Mutex<[String]>([])
        func add(_ step: String) { steps.withLock { $0.append(step) } }
        var all: [String] { steps.withLock { $0 } }
    }

    /// Notes each call it sees in `trail`.
    struct Marker: ServerInterceptor {
        let name: String
        let trail: Trail

        func intercept(_ context: ServerContext, access: MethodAccess) async throws -> ServerContext {
            trail.add("\(name) \(context.method)")
            return context
        }
    }

    static let marked = "/test.v1.Steps/Marked"
    static let plain = "/test.v1.Steps/Plain"

    func testAMethodsOwnInterceptorsRunAfterTheRoutersAndOnlyForIt() async throws {
        let trail = Trail()
        let router = Router(interceptors: [Marker(name: "router", trail: trail)])
        router.registerUnary(Self.marked, StringValue.self, StringValue.self,
                             interceptors: [Marker(name: "method", trail: trail)]) { request, context in
            trail.add("handler \(context.method)")
            return request
        }
        router.registerUnary(Self.plain, StringValue.self, StringValue.self) { request, context in
            trail.add("handler \(context.method)")
            return request
        }
        let (server, port) = try startServer(router: router)
        let client = makeClient(port: port)

        _ = try await client.unary(Self.marked, string("a"), as: StringValue.self)
        _ = try await client.unary(Self.plain, string("b"), as: StringValue.self)
        XCTAssertEqual(trail.all, [
            "router \(Self.marked)", "method \(Self.marked)", "handler \(Self.marked)",
            "router \(Self.plain)", "handler \(Self.plain)",
        ])

        await client.close()
        await server.shutdown()
    }
}
