import XCTest
@testable import TallyRPC
import TallyTestSupport
import TallyWire

/// The router's authentication step on its own, with a resolver that reads the role from metadata:
/// open methods need nothing, others get the principal resolved and their declared roles checked
/// before the request is decoded, and the handler sees the principal.
final class AuthenticationInterceptorTests: XCTestCase {
    /// A caller named by metadata "user: NAME/ROLE".
    struct User: Sendable, Equatable {
        var name: String
        var role: String
    }

    struct MetadataResolver: PrincipalResolver {
        func principal(of context: ServerContext) async throws -> User {
            guard let field = context.metadata["user"] else { throw RPCError(.unauthenticated, "no user") }
            let parts = field.split(separator: "/").map(String.init)
            guard parts.count == 2 else { throw RPCError(.unauthenticated, "malformed user") }
            return User(name: parts[0], role: parts[1])
        }

        func role(of principal: User) -> String { principal.role }

        func refusal(of principal: User, access: MethodAccess, context: ServerContext) -> RPCError {
            RPCError(.permissionDenied, "\(principal.name) may not \(access.name)")
        }
    }

    static let whoAmI = "/test.v1.Auth/WhoAmI"
    static let open = "/test.v1.Auth/Open"

    func testRolesAreCheckedBeforeDecodingAndThePrincipalReachesTheHandler() async throws {
        let router = Router(interceptors: [AuthenticationInterceptor(MetadataResolver())])
        router.registerUnary(Self.whoAmI, StringValue.self, StringValue.self,
                             access: MethodAccess(name: "read", roles: ["reader"])) { _, context in
            string(try context.principal(as: User.self).name)
        }
        router.registerUnary(Self.open, StringValue.self, StringValue.self) { request, context in
            XCTAssertNil(context.principal)
            return request
        }
        let (server, port) = try startServer(router: router)
        let client = makeClient(port: port)

        let me = try await client.unary(Self.whoAmI, string("x"), as: StringValue.self, metadata: ["user": "ann/reader"])
        XCTAssertEqual(me.value, "ann")
        try await expect(.permissionDenied, "bob may not read") {
            _ = try await client.unary(Self.whoAmI, string("x"), as: StringValue.self, metadata: ["user": "bob/writer"])
        }
        try await expect(.unauthenticated, "no user") {
            _ = try await client.unary(Self.whoAmI, string("x"), as: StringValue.self)
        }
        // Undecodable bytes from a stranger: refused for the missing credential, not for the bytes.
        try await expect(.unauthenticated, "no user") {
            _ = try await client.unary(Self.whoAmI, int64(-1), as: StringValue.self)
        }
        let echoed = try await client.unary(Self.open, string("free"), as: StringValue.self)
        XCTAssertEqual(echoed.value, "free")
        _ = try await client.unary(Router.healthCheckMethod, Empty(), as: Empty.self)

        await client.close()
        await server.shutdown()
    }

    private func expect(_ code: StatusCode, _ message: String, _ body: () async throws -> Void,
                        file: StaticString = #filePath, line: UInt = #line) async throws {
        let error = await assertStatus(code, message, body, file: file, line: line)
        XCTAssertEqual(error?.message, message, file: file, line: line)
    }
}
