import Foundation
import Synchronization
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import TallyStore
import TallyTestSupport
import XCTest

/// A fresh campaign database with a real `tally serve` process on it and a yinzhu clerk's token:
/// what the outbox tests deliver to. The server can be stopped, killed and started again on its port.
final class Campaign: Sendable {
    let database: PostgresConfiguration
    let port: Int
    let arguments: [String]
    let yinzhuToken: String
    let centralToken: String
    private let server = Mutex<ServeProcess?>(nil)

    static let target = "yinzhu/industry/specialized-smes"

    /// Starts a server (it migrates and seeds the database), makes the tokens, and leaves it running.
    init(arguments: [String] = []) throws {
        database = try TestDatabase.fresh()
        self.arguments = arguments
        let process = try ServeProcess(database: database.conninfo, extraArguments: arguments)
        server.withLock { $0 = process }
        port = process.port
        let store = CredentialStore(configuration: database)
        yinzhuToken = try store.create(name: "yinzhu clerk", role: .department, department: "yinzhu").token
        centralToken = try store.create(name: "central office", role: .central, department: nil).token
    }

    /// The start of most outbox tests: a campaign whose server is then stopped (so reports queue),
    /// a fresh client home for the test, and the target's figure before anything was queued.
    static func offline(_ test: String = #function) throws -> (campaign: Campaign, home: URL, before: Decimal) {
        let campaign = try Campaign()
        let home = try freshHome(test)
        let before = try campaign.figure()
        campaign.stopServer()
        return (campaign, home, before)
    }

    /// "127.0.0.1:PORT", as clients name the server (and the outbox keys its items).
    var address: String { "127.0.0.1:\(port)" }

    /// SIGTERM: the server drains its calls and exits.
    func stopServer() {
        server.withLock { $0 }?.stop()
        server.withLock { $0 = nil }
    }

    /// SIGKILL: the server dies at once, whatever it was doing.
    func killServer() {
        server.withLock { $0 }?.kill()
        server.withLock { $0 = nil }
    }

    /// Starts the server again on the same port (with other arguments, such as a later `--pin-now`).
    func startServer(arguments other: [String]? = nil) throws {
        let process = try ServeProcess(database: database.conninfo, port: port, extraArguments: other ?? arguments)
        server.withLock { $0 = process }
    }

    /// `tally report target TARGET ARGUMENTS --request-id ID` for `home` while the server is down:
    /// it must print "queued, #N" and exit 75. Returns N.
    @discardableResult
    func queue(_ home: URL, _ requestID: String, _ arguments: [String] = ["--add", "1"], target: String = Campaign.target,
               file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let run = try TallyRun.run(["report", "target", target] + arguments + ["--request-id", requestID],
                                   home: home, server: address, token: yinzhuToken)
        XCTAssertEqual(run.status, 75, "\(requestID) while the server is down: \(run.stdout) \(run.stderr)", file: file, line: line)
        let number = run.stdout.firstMatch(of: /queued, #([0-9]+)/).flatMap { Int($0.1) }
        XCTAssertNotNil(number, "no item number in: \(run.stdout)", file: file, line: line)
        return number ?? 0
    }

    /// Change-log rows whose request id starts with `prefix`.
    func logged(_ prefix: String) throws -> Int64 {
        try DB.int(database, "SELECT count(*) FROM change_log WHERE request_id LIKE $1", [.text(prefix + "%")])
    }

    /// Request ids starting with `prefix` that appear more than once in the change log.
    func doubled(_ prefix: String) throws -> Int64 {
        try DB.int(database, """
            SELECT count(*) FROM (SELECT request_id FROM change_log WHERE request_id LIKE $1
                                  GROUP BY request_id HAVING count(*) > 1) d
            """, [.text(prefix + "%")])
    }

    /// The current figure of a target.
    func figure(_ target: String = Campaign.target) throws -> Decimal {
        try DB.figures(database, [target])[target] ?? -1
    }

    /// The stored version of a target.
    func version(_ target: String = Campaign.target) throws -> Int64 {
        try DB.int(database, "SELECT version FROM targets WHERE id = $1", [.text(target)])
    }

    deinit { server.withLock { $0 }?.kill() }
}

extension Campaign {
    /// The central office's dashboard once it includes `sequence` (totals follow commits asynchronously).
    func dashboard(atLeast sequence: Int64) async throws -> Tally_V1_Dashboard {
        let central = TallyClient(host: "127.0.0.1", port: port, token: centralToken)
        var dashboard = try await central.dashboard()
        let deadline = ContinuousClock.now + .seconds(10)
        while dashboard.sequence < sequence && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            dashboard = try await central.dashboard()
        }
        await central.close()
        return dashboard
    }

    /// A target's changes as the central office reads them, newest first.
    func history(_ subject: String) async throws -> [Tally_V1_Change] {
        let central = TallyClient(host: "127.0.0.1", port: port, token: centralToken)
        let changes = try await central.history(subjectID: subject)
        await central.close()
        return changes
    }
}
