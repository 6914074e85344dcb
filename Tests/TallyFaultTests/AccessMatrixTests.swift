import Foundation
import Synchronization
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import TallyStore
import TallyWire
import XCTest

/// Every method of Reporting, Oversight, Office and Admin, called with every wrong role: the status code is
/// the right one and the database does not change.
final class AccessMatrixTests: XCTestCase {
    enum Caller: String, CaseIterable {
        case none, badToken, revoked, marine, yinzhu, central, admin
    }

    /// A method, how to call it (with requests aimed at yinzhu's figures, or marine's for project
    /// methods), and who may call it.
    struct Method {
        var name: String
        var allowed: Set<Caller>
        var call: @Sendable (TallyClient) async throws -> Void
    }

    static let methods: [Method] = [
        Method(name: "Reporting.ReportTarget", allowed: [.yinzhu]) { client in
            _ = try await client.reportTarget(Requests.increment(Plan.yinzhuTargets[0], by: "5"))
        },
        Method(name: "Reporting.ReportProject", allowed: [.marine]) { client in
            _ = try await client.reportProject(Requests.project(Plan.marineProject, percent: "42"))
        },
        Method(name: "Reporting.RegisterProject", allowed: [.marine]) { client in
            _ = try await client.registerProject(Requests.register(batch: Plan.marineBatch, name: "入侵项目"))
        },
        Method(name: "Reporting.SubmitPeriodReport", allowed: [.yinzhu]) { client in
            let update = Requests.increment(Plan.yinzhuTargets[1], by: "7", id: "")
            _ = try await client.submitPeriodReport(Requests.periodReport([update]))
        },
        Method(name: "Reporting.ListMine", allowed: [.marine, .yinzhu]) { client in _ = try await client.listMine() },
        Method(name: "Oversight.GetDashboard", allowed: [.central, .admin]) { client in _ = try await client.dashboard() },
        Method(name: "Oversight.Watch", allowed: [.central, .admin]) { client in
            for try await _ in client.watch() { break }
        },
        Method(name: "Oversight.History", allowed: [.yinzhu, .central, .admin]) { client in
            _ = try await client.history(subjectID: Plan.yinzhuTargets[0])
        },
        Method(name: "Oversight.ListPlan", allowed: [.central, .admin]) { client in _ = try await client.listPlan() },
        Method(name: "Oversight.ListWarnings", allowed: [.central, .admin]) { client in _ = try await client.warnings() },
        Method(name: "Oversight.GetForecast", allowed: [.central, .admin]) { client in _ = try await client.forecast() },
        Method(name: "Oversight.GetRanking", allowed: [.central, .admin]) { client in _ = try await client.ranking() },
        Method(name: "Admin.UpsertDepartment", allowed: [.central, .admin]) { client in
            var department = Tally_V1_Department()
            department.code = "yinzhu"
            department.name = "被篡改"
            department.kind = "subdistrict"
            _ = try await client.upsertDepartment(department)
        },
        Method(name: "Admin.UpsertTarget", allowed: [.central, .admin]) { client in
            let target = Requests.target(Plan.yinzhuTargets[0], department: "yinzhu", line: "industry",
                                         name: "被篡改的指标", unit: "家", figure: "1")
            _ = try await client.upsertTarget(target)
        },
        Method(name: "Admin.UpsertBatch", allowed: [.central, .admin]) { client in
            var batch = Tally_V1_Batch()
            batch.id = Plan.marineBatch
            batch.department = "marine-hitech"
            batch.line = "marine-hitech/hq"
            batch.name = "被篡改的批次"
            batch.plannedCount = 1
            batch.milestone = .underConstruction
            _ = try await client.upsertBatch(batch)
        },
        Method(name: "Admin.UpsertProject", allowed: [.central, .admin]) { client in
            var project = Tally_V1_Project()
            project.id = Plan.marineProject
            project.name = "被篡改的项目"
            project.leadDepartment = "yinzhu"
            project.line = "yinzhu/industry"
            project.stage = .inProduction
            _ = try await client.upsertProject(project)
        },
        Method(name: "Admin.CreateCredential", allowed: [.admin]) { client in
            _ = try await client.createCredential(name: "intruder", role: .admin)
        },
        Method(name: "Admin.ListCredentials", allowed: [.admin]) { client in _ = try await client.listCredentials() },
        Method(name: "Admin.RevokeCredential", allowed: [.admin]) { client in
            _ = try await client.revokeCredential(id: AccessMatrixTests.victimID.value)
        },
        Method(name: "Admin.ApplyPlan", allowed: [.admin]) { client in
            let plan = try await client.exportPlan(campaign: "2023")
            _ = try await client.applyPlan(document: plan.document, fileName: "plan-2023.json", dryRun: true)
        },
        Method(name: "Admin.ExportPlan", allowed: [.admin]) { client in _ = try await client.exportPlan(campaign: "2023") },
        Method(name: "Office.CreateDispatch", allowed: [.central, .admin]) { client in
            _ = try await client.createDispatch(title: "越权调度", departments: ["yinzhu"], due: Date().addingTimeInterval(86_400))
        },
        Method(name: "Office.ListDispatches", allowed: [.central, .admin]) { client in _ = try await client.listDispatches() },
        Method(name: "Office.CloseDispatch", allowed: [.central, .admin]) { client in
            _ = try await client.closeDispatch(AccessMatrixTests.fixtures.value.dispatch)
        },
        // A dispatch to yinzhu only: marine may neither read nor answer it.
        Method(name: "Office.GetDispatch", allowed: [.yinzhu, .central, .admin]) { client in
            _ = try await client.dispatch(AccessMatrixTests.fixtures.value.dispatch)
        },
        Method(name: "Office.Inbox", allowed: [.marine, .yinzhu]) { client in _ = try await client.inbox() },
        Method(name: "Office.AnswerDispatch", allowed: [.yinzhu]) { client in
            _ = try await client.answerDispatch(AccessMatrixTests.fixtures.value.dispatch, answer: "已报送")
        },
        Method(name: "Office.WatchInbox", allowed: [.marine, .yinzhu]) { client in
            for try await _ in client.watchInbox() { break }
        },
        Method(name: "Office.ReviewReport", allowed: [.central, .admin]) { client in
            _ = try await client.returnReport(AccessMatrixTests.fixtures.value.report, comment: "请更正")
        },
        // yinzhu's reports: marine may not read them.
        Method(name: "Office.ListReports", allowed: [.yinzhu, .central, .admin]) { client in
            _ = try await client.listReports(department: "yinzhu")
        },
    ]

    /// What the Office methods aim at: an open dispatch to yinzhu alone and a submitted yinzhu report.
    struct Fixtures: Sendable {
        var dispatch = ""
        var report = ""
    }

    static let fixtures = Box(Fixtures())

    /// A fresh open dispatch to yinzhu and a fresh submitted yinzhu report, so that each allowed call
    /// (closing, answering, reviewing once) meets a record in the state it needs.
    private func makeFixtures(_ server: TallyTestServer) async throws {
        let dispatch = try await server.central.createDispatch(title: "六月调度", departments: ["yinzhu"],
                                                               due: Date().addingTimeInterval(86_400))
        let update = Requests.increment(Plan.yinzhuTargets[2], by: "1", id: "")
        let report = try await server.yinzhu.submitPeriodReport(Requests.periodReport([update]))
        AccessMatrixTests.fixtures.value = Fixtures(dispatch: dispatch.id, report: report.report.id)
    }

    /// The credential the RevokeCredential attempts aim at (the yinzhu clerk's), set by the test.
    static let victimID = Box("")

    func testEveryMethodRefusesEveryWrongRoleAndChangesNothing() async throws {
        let server = try await TallyTestServer.start()
        defer { Task { await server.stop() } }
        let store = CredentialStore(configuration: server.database)
        let revoked = try store.create(name: "revoked clerk", role: .department, department: "yinzhu")
        _ = try store.revoke(id: revoked.credential.id)
        AccessMatrixTests.victimID.value = try DB.text(server.database,
            "SELECT id FROM credentials WHERE name = 'yinzhu clerk'")
        let tokens: [Caller: String?] = [
            .none: nil, .badToken: "tly_" + String(repeating: "0", count: 64), .revoked: revoked.token,
            .marine: server.marineToken, .yinzhu: server.yinzhuToken, .central: server.centralToken,
            .admin: server.adminToken,
        ]
        try await makeFixtures(server)
        // Unauthenticated callers go through a proxy that gives each connection its own source
        // address, so the per-peer slow-down of failed authentication does not stretch the test.
        let proxy = try TCPProxy(upstreamPort: server.port, sourceBase: 10)
        defer { proxy.close() }
        var checked = 0
        for method in Self.methods {
            for caller in Caller.allCases where !method.allowed.contains(caller) {
                let unauthenticated: Set<Caller> = [.none, .badToken, .revoked]
                let client = unauthenticated.contains(caller)
                    ? TallyClientFactory.client(port: proxy.port, token: tokens[caller]! ?? "")
                    : server.client(tokens[caller]!)
                let before = try DB.fingerprint(server.database)
                await assertStatus(unauthenticated.contains(caller) ? .unauthenticated : .permissionDenied,
                                   "\(method.name) as \(caller.rawValue)") { try await method.call(client) }
                XCTAssertEqual(try DB.fingerprint(server.database), before,
                               "\(method.name) as \(caller.rawValue) changed the database")
                await client.close()
                checked += 1
            }
        }
        XCTAssertEqual(checked, Self.methods.reduce(0) { $0 + Caller.allCases.count - $1.allowed.count })
        XCTAssertGreaterThanOrEqual(checked, 80)
        // The allowed roles do get through (so the refusals above are about the role, not the request).
        for method in Self.methods where method.name != "Admin.RevokeCredential" {
            for caller in method.allowed.sorted(by: { $0.rawValue < $1.rawValue }) {
                if method.name.hasPrefix("Office.") { try await makeFixtures(server) }
                let client = server.client(tokens[caller]!)
                do { try await method.call(client) } catch { XCTFail("\(method.name) as \(caller.rawValue): \(error)") }
                await client.close()
            }
        }
    }
}

/// A mutable value shared with `@Sendable` closures.
final class Box<T: Sendable>: Sendable {
    private let stored: Mutex<T>
    init(_ value: T) { stored = Mutex(value) }
    var value: T {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
