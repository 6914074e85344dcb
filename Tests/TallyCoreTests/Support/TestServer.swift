import Foundation
import Logging
import TallyClient
import TallyCore
import TallyMessages
import TallyStore
import TallyWire
import TallyTestSupport
import XCTest

/// A Tally server on a fresh throwaway database, with credentials for each role.
final class TestServer: @unchecked Sendable {
    let database: PostgresConfiguration
    let server: TallyServer
    let port: Int
    let marineToken: String
    let yinzhuToken: String
    let centralToken: String
    let adminToken: String

    /// Starts a server; pass `database` to share one database between two servers.
    static func start(database: PostgresConfiguration? = nil, function: String = #function,
                      clock: Date? = nil) async throws -> TestServer {
        let database = try database ?? TestDatabase.fresh(function: function)
        var configuration = TallyServerConfiguration(database: database)
        configuration.port = 0
        configuration.campaignClock = clock
        var logger = Logger(label: "tally.test")
        logger.logLevel = .warning
        let server = TallyServer(configuration: configuration, logger: logger)
        let port = try await server.start()
        let store = CredentialStore(configuration: database)
        return TestServer(
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

    func client(_ token: String?) -> TallyClient {
        TallyClient(host: "127.0.0.1", port: port, token: token, peerName: "tally-test/1", callTimeout: .seconds(20))
    }

    var marine: TallyClient { client(marineToken) }
    var yinzhu: TallyClient { client(yinzhuToken) }
    var central: TallyClient { client(centralToken) }
    var admin: TallyClient { client(adminToken) }

    /// The dashboard once the server's totals include `sequence` (they follow commits asynchronously).
    func dashboard(_ client: TallyClient, atLeast sequence: Int64, asOf: Date? = nil) async throws -> Tally_V1_Dashboard {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let dashboard = try await client.dashboard(asOf: asOf)
            if dashboard.sequence >= sequence || ContinuousClock.now > deadline { return dashboard }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func stop() async {
        await server.shutdown()
    }
}

/// Builders for requests, so tests read as what a clerk does.
enum Requests {
    static func increment(_ target: String, by value: String, id: String = UUID().uuidString,
                          note: String = "") -> Tally_V1_ReportTargetRequest {
        var request = Tally_V1_ReportTargetRequest()
        request.requestID = id
        request.targetID = target
        request.increment = value
        request.note = note
        return request
    }

    static func set(_ target: String, to value: String, id: String = UUID().uuidString,
                    expectedVersion: Int64 = 0, unit: String = "") -> Tally_V1_ReportTargetRequest {
        var request = Tally_V1_ReportTargetRequest()
        request.requestID = id
        request.targetID = target
        request.setValue = value
        request.expectedVersion = expectedVersion
        request.unit = unit
        return request
    }

    static func project(_ project: String, stage: Tally_V1_Stage = .unspecified, investment: String = "",
                        percent: String = "", correction: Bool = false, reason: String = "",
                        id: String = UUID().uuidString) -> Tally_V1_ReportProjectRequest {
        var request = Tally_V1_ReportProjectRequest()
        request.requestID = id
        request.projectID = project
        request.stage = stage
        request.investmentCompleted = investment
        request.percent = percent
        request.correction = correction
        request.correctionReason = reason
        return request
    }
}

/// Asserts that an async call fails with an RPC status of the given code; returns the error.
@discardableResult
func assertStatus<T>(_ code: StatusCode, _ body: () async throws -> T, file: StaticString = #filePath,
                     line: UInt = #line) async -> RPCError? {
    do {
        _ = try await body()
        XCTFail("expected \(code.name), the call succeeded", file: file, line: line)
    } catch let error as RPCError {
        XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected \(code.name), got \(error)", file: file, line: line)
    }
    return nil
}
