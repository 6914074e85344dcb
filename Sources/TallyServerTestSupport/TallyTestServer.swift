import Foundation
import Logging
import Synchronization
import TallyClient
import TallyCore
import TallyMessages
import TallyStore
import TallyTestSupport

/// An in-process Tally server on a fresh throwaway database (or a shared one), with a credential
/// of each role, for tests that drive the server through the client library. Every client it hands
/// out is closed by ``stop()``.
public final class TallyTestServer: Sendable {
    public let database: PostgresConfiguration
    public let server: TallyServer
    public let port: Int
    public let marineToken: String
    public let yinzhuToken: String
    public let centralToken: String
    public let adminToken: String
    /// Every client handed out, closed by stop().
    private let clients = Mutex<[TallyClient]>([])

    /// Starts a server. `database` shares one database between servers; `clock` sets the campaign
    /// clock; `logHandler` captures the server's logs; `configure` changes any other setting.
    public static func start(database: PostgresConfiguration? = nil, function: String = #function,
                             clock: Date? = nil, logHandler: (@Sendable (String) -> LogHandler)? = nil,
                             configure: (inout TallyServerConfiguration) -> Void = { _ in }) async throws
        -> TallyTestServer
    {
        let database = try database ?? TestDatabase.fresh(function: function)
        var configuration = TallyServerConfiguration(database: database)
        configuration.port = 0
        configuration.campaignClock = clock
        configure(&configuration)
        var logger = logHandler.map { Logger(label: "tally.test", factory: $0) } ?? Logger(label: "tally.test")
        logger.logLevel = logHandler == nil ? .error : .trace
        let server = TallyServer(configuration: configuration, logger: logger)
        let port = try await server.start()
        let store = CredentialStore(configuration: database)
        return TallyTestServer(
            database: database, server: server, port: port,
            marineToken: try store.create(name: "marine clerk", role: .department, department: "marine-hitech").token,
            yinzhuToken: try store.create(name: "yinzhu clerk", role: .department, department: "yinzhu").token,
            centralToken: try store.create(name: "central office", role: .central, department: nil).token,
            adminToken: try store.create(name: "admin", role: .admin, department: nil).token)
    }

    private init(database: PostgresConfiguration, server: TallyServer, port: Int, marineToken: String,
                 yinzhuToken: String, centralToken: String, adminToken: String) {
        self.database = database
        self.server = server
        self.port = port
        self.marineToken = marineToken
        self.yinzhuToken = yinzhuToken
        self.centralToken = centralToken
        self.adminToken = adminToken
    }

    /// A new client (its own connection) with `token`, or none; stop() closes it if the test did not.
    public func client(_ token: String?, timeout: Duration = .seconds(20)) -> TallyClient {
        let client = TallyClient(host: "127.0.0.1", port: port, token: token, peerName: "tally-test/1", callTimeout: timeout)
        clients.withLock { $0.append(client) }
        return client
    }

    /// A new client of the marine-hitech clerk (each use its own connection; stop() closes it).
    public var marine: TallyClient { client(marineToken) }
    /// A new client of the yinzhu clerk.
    public var yinzhu: TallyClient { client(yinzhuToken) }
    /// A new client of the central office.
    public var central: TallyClient { client(centralToken) }
    /// A new client of the admin.
    public var admin: TallyClient { client(adminToken) }

    /// The dashboard once the server's totals include `sequence`: they follow the change log, and a
    /// watch from the dashboard's own sequence says when they have got there (10 s at most).
    public func dashboard(_ client: TallyClient, atLeast sequence: Int64, asOf: Date? = nil) async throws
        -> Tally_V1_Dashboard
    {
        let dashboard = try await client.dashboard(asOf: asOf)
        guard dashboard.sequence < sequence else { return dashboard }
        try await within(.seconds(10), "the totals reach sequence \(sequence)") {
            for try await event in client.watch(afterSequence: dashboard.sequence) {
                if case .change(let change) = event.event, change.change.sequence >= sequence { return }
            }
        }
        return try await client.dashboard(asOf: asOf)
    }

    /// Closes every client handed out, then shuts the server down.
    public func stop() async {
        let open = clients.withLock { clients in
            defer { clients.removeAll() }
            return clients
        }
        for client in open { await client.close() }
        await server.shutdown()
    }
}
