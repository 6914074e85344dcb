import Foundation
import Logging
import Synchronization
import TallyCore
import TallyHTTP
import TallyServerTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real Tally server on a throwaway database with its HTTP side door, restartable on the same
/// HTTP port (as a wall screen sees a server restart).
final class SideDoorHarness: Sendable {
    private struct Running: Sendable {
        var server: TallyTestServer
        var door: HTTPSideDoor
    }

    private let running: Mutex<Running?>
    let httpPort: Int
    let clock: Date?
    /// Tokens of the first server's credentials (the database keeps them across restarts).
    let tokens: TallyTestServer

    static func start(function: String = #function, clock: Date? = nil) async throws -> SideDoorHarness {
        let server = try await TallyTestServer.start(function: function, clock: clock)
        let (door, port) = try await startDoor(onto: server.server, port: 0)
        return SideDoorHarness(server: server, door: door, port: port, clock: clock)
    }

    private init(server: TallyTestServer, door: HTTPSideDoor, port: Int, clock: Date?) {
        running = Mutex(Running(server: server, door: door))
        httpPort = port
        self.clock = clock
        tokens = server
    }

    private static func startDoor(onto server: TallyServer, port: Int) async throws -> (HTTPSideDoor, Int) {
        var logger = Logger(label: "tally.test.http")
        logger.logLevel = .error
        let door = HTTPSideDoor(configuration: HTTPSideDoorConfiguration(host: "127.0.0.1", port: port),
                                logger: logger, view: { server.operatorView })
        return (door, try await door.start())
    }

    /// The server now running.
    var server: TallyTestServer {
        get throws {
            guard let server = running.withLock({ $0?.server }) else { throw HarnessError.stopped }
            return server
        }
    }

    var base: URL { URL(string: "http://127.0.0.1:\(httpPort)")! }

    /// Stops the side door and the server (their clients see the connection drop).
    func stop() async {
        guard let current = running.withLock({ running -> Running? in
            defer { running = nil }
            return running
        }) else { return }
        await current.door.shutdown()
        await current.server.stop()
    }

    /// Starts a new server on the same database and its side door on the same HTTP port.
    func restart() async throws {
        await stop()
        let server = try await TallyTestServer.start(database: tokens.database, clock: clock)
        let (door, _) = try await Self.startDoor(onto: server.server, port: httpPort)
        running.withLock { $0 = Running(server: server, door: door) }
    }

    enum HarnessError: Error { case stopped }

    // MARK: - HTTP

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// One request; `cookie` is sent as is (the harness keeps no cookie jar of its own).
    func request(_ method: String, _ path: String, body: String? = nil, cookie: String? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = method
        request.httpShouldHandleCookies = false
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await Self.session.data(for: request)
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http?.allHeaderFields ?? [:] {
            headers[String(describing: key).lowercased()] = String(describing: value)
        }
        return Reply(status: http?.statusCode ?? 0, headers: headers, body: String(decoding: data, as: UTF8.self))
    }

    /// A session without a cookie jar: each request carries only the cookie a test gives it.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        return URLSession(configuration: configuration)
    }()

    /// Logs in with `token` and returns the `Cookie` header value the browser would send.
    func login(_ token: String) async throws -> String? {
        let reply = try await request("POST", "/login", body: "token=\(token)")
        guard reply.status == 200, let setCookie = reply.headers["set-cookie"] else { return nil }
        return setCookie.split(separator: ";").first.map(String.init)
    }
}
