import Foundation
@testable import TallyClient
import TallyCore
import TallyMessages
import TallyStore
import TallyWire
import TallyServerTestSupport
import XCTest

/// Every request field is checked (sizes, counts, Unicode, numeric ranges); a failing message gets
/// INVALID_ARGUMENT whose text names the field, and nothing reaches the database.
final class InputValidationTests: XCTestCase {
    struct Case: Sendable {
        var what: String
        var field: String
        var call: @Sendable (TallyClient, TallyClient, TallyClient) async throws -> Void  // department, central, admin
    }

    static func target(_ change: (inout Tally_V1_ReportTargetRequest) -> Void) -> Tally_V1_ReportTargetRequest {
        var request = Requests.increment(Plan.marineTargets[0])
        change(&request)
        return request
    }

    static func project(_ change: (inout Tally_V1_ReportProjectRequest) -> Void) -> Tally_V1_ReportProjectRequest {
        var request = Requests.project(Plan.marineProject, percent: "10")
        change(&request)
        return request
    }

    static func register(_ change: (inout Tally_V1_RegisterProjectRequest) -> Void) -> Tally_V1_RegisterProjectRequest {
        var request = Requests.register(batch: Plan.marineBatch, name: "新项目")
        change(&request)
        return request
    }

    static func period(_ change: (inout Tally_V1_SubmitPeriodReportRequest) -> Void) -> Tally_V1_SubmitPeriodReportRequest {
        var request = Requests.periodReport([Requests.increment(Plan.marineTargets[0], id: "")])
        change(&request)
        return request
    }

    static func department(_ change: (inout Tally_V1_Department) -> Void) -> Tally_V1_Department {
        var department = Tally_V1_Department()
        department.code = "new-zone"
        department.name = "新区"
        department.kind = "subdistrict"
        change(&department)
        return department
    }

    static func planTarget(_ change: (inout Tally_V1_Target) -> Void) -> Tally_V1_Target {
        var target = Requests.target("marine-hitech/hq/new-target", department: "marine-hitech", line: "hq",
                                     name: "新指标", figure: "10")
        change(&target)
        return target
    }

    static let long = String(repeating: "长", count: 2_001)
    static let bell = "ab\u{07}c"
    static let bidi = "ab\u{202E}cba"
    static let nul = "a\u{0}b"

    static let cases: [Case] = [
        Case(what: "empty request_id", field: "request_id") { d, _, _ in _ = try await d.reportTarget(target { $0.requestID = "" }) },
        Case(what: "long request_id", field: "request_id") { d, _, _ in
            _ = try await d.reportTarget(target { $0.requestID = String(repeating: "x", count: 129) }) },
        Case(what: "request_id with a newline", field: "request_id") { d, _, _ in _ = try await d.reportTarget(target { $0.requestID = "a\nb" }) },
        Case(what: "empty target_id", field: "target_id") { d, _, _ in _ = try await d.reportTarget(target { $0.targetID = "" }) },
        Case(what: "long target_id", field: "target_id") { d, _, _ in
            _ = try await d.reportTarget(target { $0.targetID = String(repeating: "t", count: 201) }) },
        Case(what: "BEL in target_id", field: "target_id") { d, _, _ in _ = try await d.reportTarget(target { $0.targetID = bell }) },
        Case(what: "bidi override in target_id", field: "target_id") { d, _, _ in _ = try await d.reportTarget(target { $0.targetID = bidi }) },
        Case(what: "no change", field: "change") { d, _, _ in _ = try await d.reportTarget(target { $0.change = nil }) },
        Case(what: "set_value not a number", field: "set_value") { d, _, _ in _ = try await d.reportTarget(target { $0.setValue = "abc" }) },
        Case(what: "set_value NaN", field: "set_value") { d, _, _ in _ = try await d.reportTarget(target { $0.setValue = "NaN" }) },
        Case(what: "set_value exponent", field: "set_value") { d, _, _ in _ = try await d.reportTarget(target { $0.setValue = "1e9" }) },
        Case(what: "set_value negative", field: "set_value") { d, _, _ in _ = try await d.reportTarget(target { $0.setValue = "-1" }) },
        Case(what: "set_value too many digits", field: "set_value") { d, _, _ in
            _ = try await d.reportTarget(target { $0.setValue = "1" + String(repeating: "0", count: 19) }) },
        Case(what: "increment too many decimals", field: "increment") { d, _, _ in _ = try await d.reportTarget(target { $0.increment = "0.1234567" }) },
        Case(what: "increment empty", field: "increment") { d, _, _ in _ = try await d.reportTarget(target { $0.increment = "" }) },
        Case(what: "long unit", field: "unit") { d, _, _ in _ = try await d.reportTarget(target { $0.unit = String(repeating: "个", count: 21) }) },
        Case(what: "long note", field: "note") { d, _, _ in _ = try await d.reportTarget(target { $0.note = long }) },
        Case(what: "NUL in note", field: "note") { d, _, _ in _ = try await d.reportTarget(target { $0.note = nul }) },
        Case(what: "negative expected_version", field: "expected_version") { d, _, _ in
            _ = try await d.reportTarget(target { $0.expectedVersion = -1 }) },
        Case(what: "empty project_id", field: "project_id") { d, _, _ in _ = try await d.reportProject(project { $0.projectID = "" }) },
        Case(what: "percent over 100", field: "percent") { d, _, _ in _ = try await d.reportProject(project { $0.percent = "100.5" }) },
        Case(what: "percent negative", field: "percent") { d, _, _ in _ = try await d.reportProject(project { $0.percent = "-1" }) },
        Case(what: "investment negative", field: "investment_completed") { d, _, _ in
            _ = try await d.reportProject(project { $0.investmentCompleted = "-3" }) },
        Case(what: "unknown stage", field: "stage") { d, _, _ in
            _ = try await d.reportProject(project { $0.stage = Tally_V1_Stage(rawValue: 99) ?? .unspecified }) },
        Case(what: "nothing to report", field: "nothing to report") { d, _, _ in _ = try await d.reportProject(project { $0.percent = "" }) },
        Case(what: "long correction_reason", field: "correction_reason") { d, _, _ in
            _ = try await d.reportProject(project { $0.correction = true; $0.correctionReason = String(repeating: "因", count: 501) }) },
        Case(what: "empty batch_id", field: "batch_id") { d, _, _ in _ = try await d.registerProject(register { $0.batchID = "" }) },
        Case(what: "blank name", field: "name") { d, _, _ in _ = try await d.registerProject(register { $0.name = "   " }) },
        Case(what: "ESC in name", field: "name") { d, _, _ in _ = try await d.registerProject(register { $0.name = "a\u{1B}[31mred" }) },
        Case(what: "long name", field: "name") { d, _, _ in _ = try await d.registerProject(register { $0.name = String(repeating: "名", count: 201) }) },
        Case(what: "planned_investment not a number", field: "planned_investment") { d, _, _ in
            _ = try await d.registerProject(register { $0.plannedInvestment = "12亿" }) },
        Case(what: "co_departments control", field: "co_departments") { d, _, _ in
            _ = try await d.registerProject(register { $0.coDepartments = ["yinzhu", bell] }) },
        Case(what: "no updates", field: "updates") { d, _, _ in _ = try await d.submitPeriodReport(period { $0.updates = [] }) },
        Case(what: "too many updates", field: "updates") { d, _, _ in
            _ = try await d.submitPeriodReport(period { $0.updates = Array(repeating: $0.updates[0], count: 1_001) }) },
        Case(what: "bad update in the middle", field: "updates[2]") { d, _, _ in
            _ = try await d.submitPeriodReport(period { request in
                var bad = request.updates[0]
                bad.target.increment = "x"
                request.updates = [request.updates[0], request.updates[0], bad]
            }) },
        Case(what: "bad period", field: "period") { d, _, _ in _ = try await d.submitPeriodReport(period { $0.period = "2023-13" }) },
        Case(what: "empty update", field: "updates[0]") { d, _, _ in
            _ = try await d.submitPeriodReport(period { $0.updates = [Tally_V1_Update()] }) },
        Case(what: "negative as_of", field: "as_of_unix_ms") { _, c, _ in
            _ = try await c.rpcDashboard(asOfUnixMs: -1) },
        Case(what: "negative after_sequence", field: "after_sequence") { _, c, _ in
            for try await _ in c.watch(afterSequence: -1) { break } },
        Case(what: "empty subject_id", field: "subject_id") { _, c, _ in _ = try await c.history(subjectID: "") },
        Case(what: "negative limit", field: "limit") { _, c, _ in _ = try await c.history(subjectID: Plan.marineTargets[0], limit: -1) },
        Case(what: "department code", field: "code") { _, c, _ in _ = try await c.upsertDepartment(department { $0.code = "Bad Code!" }) },
        Case(what: "department kind", field: "kind") { _, c, _ in _ = try await c.upsertDepartment(department { $0.kind = "empire" }) },
        Case(what: "department name with bidi", field: "name") { _, c, _ in _ = try await c.upsertDepartment(department { $0.name = bidi }) },
        Case(what: "target_figure negative", field: "target_figure") { _, c, _ in _ = try await c.upsertTarget(planTarget { $0.targetFigure = "-5" }) },
        Case(what: "target direction", field: "direction") { _, c, _ in _ = try await c.upsertTarget(planTarget { $0.direction = .unspecified }) },
        Case(what: "target unit control", field: "unit") { _, c, _ in _ = try await c.upsertTarget(planTarget { $0.unit = "\u{08}" }) },
        Case(what: "batch planned_count", field: "planned_count") { _, c, _ in
            var batch = Tally_V1_Batch()
            batch.id = "marine-hitech/hq/new-batch"; batch.department = "marine-hitech"; batch.line = "marine-hitech/hq"
            batch.name = "新批次"; batch.plannedCount = -1; batch.milestone = .underConstruction
            _ = try await c.upsertBatch(batch) },
        Case(what: "credential name", field: "name") { _, _, a in _ = try await a.createCredential(name: "", role: .central) },
        Case(what: "credential role", field: "role") { _, _, a in _ = try await a.createCredential(name: "x", role: .unspecified) },
        Case(what: "credential department control", field: "department") { _, _, a in
            _ = try await a.createCredential(name: "x", role: .department, department: bell) },
        Case(what: "revoke empty id", field: "id") { _, _, a in _ = try await a.revokeCredential(id: "") },
    ]

    func testEveryFieldIsCheckedAndNamedInTheError() async throws {
        let server = try await TallyTestServer.start()
        defer { Task { await server.stop() } }
        let department = server.client(server.marineToken)
        let central = server.client(server.centralToken)
        let admin = server.client(server.adminToken)
        let before = try DB.fingerprint(server.database)
        for item in Self.cases {
            let error = await assertStatus(.invalidArgument, item.what) { try await item.call(department, central, admin) }
            if let error {
                XCTAssertTrue(error.message.hasPrefix(item.field) || error.message.contains(item.field + ":")
                              || error.message.contains(item.field), "\(item.what): \"\(error.message)\" does not name \(item.field)")
            }
        }
        XCTAssertEqual(try DB.fingerprint(server.database), before, "a refused request changed the database")
        // Valid Chinese text with ZWJ emoji and line breaks in a note is accepted.
        _ = try await department.reportTarget(Self.target { $0.note = "第一行\n第二行 👩‍💻" })
    }
}

extension TallyClient {
    /// GetDashboard with a raw as_of value (the typed helper takes a Date).
    func rpcDashboard(asOfUnixMs: Int64) async throws -> Tally_V1_Dashboard {
        var request = Tally_V1_DashboardRequest()
        request.asOfUnixMs = asOfUnixMs
        return try await rpc.unary("/tally.v1.Oversight/GetDashboard", request, as: Tally_V1_Dashboard.self,
                                   metadata: metadata, timeout: callTimeout)
    }
}
