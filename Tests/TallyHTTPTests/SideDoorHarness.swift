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
    let doorConfiguration: @Sendable (inout HTTPSideDoorConfiguration) -> Void
    let logHandler: (@Sendable (String) -> LogHandler)?
    /// Tokens of the first server's credentials (the database keeps them across restarts).
    let tokens: TallyTestServer

    /// A server and its side door; `door` changes the side door's settings (TLS, limits), `logHandler`
    /// captures both their logs, `server` changes the server's.
    static func start(
        function: String = #function, clock: Date? = nil, logHandler: (@Sendable (String) -> LogHandler)? = nil,
        server configureServer: (inout TallyServerConfiguration) -> Void = { _ in },
        door: @escaping @Sendable (inout HTTPSideDoorConfiguration) -> Void = { _ in }
    ) async throws -> SideDoorHarness {
        let server = try await TallyTestServer.start(function: function, clock: clock, logHandler: logHandler, configure: configureServer)
        let (started, port) = try await startDoor(onto: server.server, port: 0, configure: door, logHandler: logHandler)
        return SideDoorHarness(server: server, door: started, port: port, clock: clock, configure: door, logHandler: logHandler)
    }

    private init(server: TallyTestServer, door: HTTPSideDoor, port: Int, clock: Date?,
                 configure: @escaping @Sendable (inout HTTPSideDoorConfiguration) -> Void,
                 logHandler: (@Sendable (String) -> LogHandler)?) {
        running = Mutex(Running(server: server, door: door))
        httpPort = port
        self.clock = clock
        tokens = server
        doorConfiguration = configure
        self.logHandler = logHandler
    }

    private static func startDoor(
        onto server: TallyServer, port: Int, configure: (inout HTTPSideDoorConfiguration) -> Void,
        logHandler: (@Sendable (String) -> LogHandler)?
    ) async throws -> (HTTPSideDoor, Int) {
        var logger = logHandler.map { Logger(label: "tally.test.http", factory: $0) } ?? Logger(label: "tally.test.http")
        logger.logLevel = logHandler == nil ? .error : .trace
        var configuration = HTTPSideDoorConfiguration(host: "127.0.0.1", port: port)
        configure(&configuration)
        let door = HTTPSideDoor(configuration: configuration, logger: logger, view: { server.operatorView })
        return (door, try await door.start())
    }

    /// The side door now running.
    var door: HTTPSideDoor {
        get throws {
            guard let door = running.withLock({ $0?.door }) else { throw HarnessError.stopped }
            return door
        }
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
        let (door, _) = try await Self.startDoor(onto: server.server, port: httpPort, configure: doorConfiguration, logHandler: logHandler)
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
