import Logging

/// A TCP server speaking the Tally RPC protocol: accepts connections and routes calls to a ``Router``.
///
/// ```swift
/// let router = Router()
/// router.registerUnary("/demo.v1.Echo/Say", Req.self, Resp.self) { request, context in ... }
/// let server = RPCServer(configuration: ServerConfiguration(port: 0), router: router, logger: logger)
/// let port = try server.start()
/// ...
/// await server.shutdown()
/// ```
public final class RPCServer: Sendable {
    let core: ServerCore

    public init(configuration: ServerConfiguration, router: Router, logger: Logger) {
        core = ServerCore(configuration: configuration, router: router, logger: logger)
    }

    /// Binds the configured host (IPv4 or IPv6; a name binds all its addresses), listens and starts
    /// accepting. Returns the bound port (useful with port 0). Throws ``RPCSetupError``.
    public func start() throws -> Int {
        try core.start()
    }

    /// Graceful shutdown: stops accepting, sends GOAWAY "server shutting down", lets calls in flight finish
    /// within the grace period (the rest end with UNAVAILABLE), and returns once every connection is closed.
    public func shutdown() async {
        await core.shutdown()
    }

    /// Loads the configured TLS certificate, key and client CA again (after they were renewed on
    /// disk): new connections use them, open connections are not disturbed. Throws ``RPCSetupError``
    /// (the previous certificate stays in use) or when the server has no TLS.
    public func reloadTLS() throws {
        guard let tls = core.configuration.tls else { throw RPCSetupError("this server does not use TLS") }
        try core.reloadTLS(tls)
    }

    /// Connections currently open.
    public var connectionCount: Int { core.liveConnections.load(ordering: .relaxed) }
}
