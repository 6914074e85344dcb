import Foundation
import Logging
import TallyClient
import TallyCore
import TallyMessages
import TallyStore
import TallyTestSupport
import TallyWire
import XCTest

/// An in-process Tally server on a database of its own, with a credential of each role.
final class FaultServer: @unchecked Sendable {  // immutable after init
    let database: PostgresConfiguration
    let server: TallyServer
    let port: Int
    let marineToken: String
    let yinzhuToken: String
    let centralToken: String
    let adminToken: String

    /// Starts a server; pass `database` to share one database between servers, `configure` to change limits.
    static func start(database: PostgresConfiguration? = nil, function: String = #function,
                      logHandler: (@Sendable (String) -> LogHandler)? = nil,
                      configure: (inout TallyServerConfiguration) -> Void = { _ in }) async throws -> FaultServer {
        let database = try database ?? TestDatabase.fresh(function: function)
        var configuration = TallyServerConfiguration(database: database)
        configuration.port = 0
        configure(&configuration)
        var logger = logHandler.map { Logger(label: "tally.fault", factory: $0) } ?? Logger(label: "tally.fault")
        logger.logLevel = logHandler == nil ? .error : .trace
        let server = TallyServer(configuration: configuration, logger: logger)
        let port = try await server.start()
        let store = CredentialStore(configuration: database)
        return FaultServer(
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

    func client(_ token: String?, timeout: Duration = .seconds(20)) -> TallyClient {
        TallyClient(host: "127.0.0.1", port: port, token: token, peerName: "tally-fault-test/1", callTimeout: timeout)
    }

    func stop() async { await server.shutdown() }
}

/// Targets and projects of the default 2023 plan the fault tests write to (units that count, not 项 tasks).
enum Plan {
    static let marineTargets = ["marine-hitech/hq/new-hq-projects", "marine-hitech/hq/river-bridges",
                                "marine-hitech/high-end/new-starts"]
    static let yinzhuTargets = ["yinzhu/industry/specialized-smes", "yinzhu/industry/high-tech-enterprises",
                                "yinzhu/industry/tax-source-projects"]
    static let marineProject = "p-shandong-energy-finance-trade"
    static let marineBatch = "marine-hitech/hq/hq-under-construction"
}

/// Request builders.
enum Requests {
    static func increment(_ target: String, by value: String = "1", id: String = UUID().uuidString)
        -> Tally_V1_ReportTargetRequest {
        var request = Tally_V1_ReportTargetRequest()
        request.requestID = id
        request.targetID = target
        request.increment = value
        return request
    }
}

/// Asserts that an async call fails with an RPC status of the given code; returns the error.
@discardableResult
func assertStatus<T>(_ code: StatusCode, _ what: String = "", _ body: () async throws -> T,
                     file: StaticString = #filePath, line: UInt = #line) async -> RPCError? {
    do {
        _ = try await body()
        XCTFail("\(what): expected \(code.name), the call succeeded", file: file, line: line)
    } catch let error as RPCError {
        XCTAssertEqual(error.code, code, "\(what): \(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("\(what): expected \(code.name), got \(error)", file: file, line: line)
    }
    return nil
}
