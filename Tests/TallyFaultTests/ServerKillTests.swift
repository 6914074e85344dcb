import Foundation
import TallyClient
import TallyCore
import TallyServerTestSupport
import TallyStore
import TallyTestSupport
import TallyWire
import XCTest

/// The real `tally serve` binary is killed with SIGKILL in the middle of a load from department
/// clients that retry with the same request ids, then restarted on the same port.
final class ServerKillTests: XCTestCase {
    func testSigkillMidLoadLosesNothingAcknowledgedAndDoublesNothing() async throws {
        let database = try TestDatabase.fresh()
        var server = try ServeProcess(database: database.conninfo)
        let port = server.port
        let store = CredentialStore(configuration: database)
        let marine = try store.create(name: "marine", role: .department, department: "marine-hitech").token
        let yinzhu = try store.create(name: "yinzhu", role: .department, department: "yinzhu").token
        let before = try DB.figures(database, Plan.marineTargets + Plan.yinzhuTargets)

        var clients: [(client: TallyClient, targets: [String], name: String)] = []
        for index in 0..<3 {
            clients.append((TallyClient(host: "127.0.0.1", port: port, token: marine, callTimeout: .seconds(3)),
                            Plan.marineTargets, "m\(index)"))
            clients.append((TallyClient(host: "127.0.0.1", port: port, token: yinzhu, callTimeout: .seconds(3)),
                            Plan.yinzhuTargets, "y\(index)"))
        }
        let ledger = Ledger()
        let load = DepartmentLoad(clients: clients, pause: nil)
        let running = Task { await load.run(ledger) }

        try await waitFor("first acknowledgements") { ledger.acked.count >= 40 }
        server.kill()
        let ackedAtKill = ledger.acked.count
        let sentAtKill = ledger.attempted.count
        server = try ServeProcess(database: database.conninfo, port: port)
        try await waitFor("acknowledgements after the restart") { ledger.acked.count >= ackedAtKill + 40 }
        ledger.stop()
        await running.value
        server.stop()
        for entry in clients { await entry.client.close() }

        let figures = try Accounting.verify(database, ledger: ledger, before: before)
        XCTAssertGreaterThan(ledger.retryCount, 0, "the kill must have hit calls in flight")
        XCTAssertEqual(figures.acked, ledger.attempted.count, "every update is acknowledged in the end")
        print("kill -9: \(sentAtKill) sent / \(ackedAtKill) acknowledged before the kill; in all \(figures.acked) acknowledged, \(figures.logged) logged, \(ledger.retryCount) retries")
    }
}
