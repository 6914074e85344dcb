import Foundation
import TallyCore
import TallyStore

/// The departments a benchmark reports for: `bench-01 ...`, each with one line, one target and a
/// department credential, plus a central credential for the watchers.
struct BenchPlan: Sendable {
    struct Department: Sendable {
        var code: String
        var target: String
        var credentialID: String
        var token: String
    }

    var departments: [Department]
    var centralToken: String

    /// Creates (or updates) the plan entries through `tally_apply_batch` upserts, so that a server that
    /// is already running learns them from the change log, and makes fresh credentials.
    static func create(count: Int, database: BenchDatabase) throws -> BenchPlan {
        let store = CredentialStore(configuration: database.configuration)
        let admin = try store.create(name: "bench admin", role: .admin, department: nil).credential
        var commands: [[String: Any]] = []
        let codes = (1...count).map { String(format: "bench-%02d", $0) }
        for (index, code) in codes.enumerated() {
            commands.append(upsert(admin.id, "department", ["code": code, "name": "压测 \(code)",
                                                            "kind": "subdistrict", "sort_order": 1000 + index]))
            commands.append(upsert(admin.id, "line", ["code": "\(code)/load", "department": code,
                                                      "name": "压测 load", "goal": "", "sort_order": 0]))
            commands.append(upsert(admin.id, "target", [
                "id": "\(code)/updates", "department": code, "line": "\(code)/load", "name": "压测 updates",
                "unit": "个", "direction": "at_least", "target_figure": "1000000000", "qualifier": "",
                "sort_order": 0,
            ]))
        }
        let connection = try database.connect()
        defer { connection.close() }
        let data = try JSONSerialization.data(withJSONObject: commands)
        let result = try connection.execute("SELECT tally_apply_batch($1::jsonb)::text",
                                            [.text(String(decoding: data, as: UTF8.self))])
        guard let row = result.rows.first,
              let outcomes = try JSONSerialization.jsonObject(with: Data(try row.decode(String.self, at: 0).utf8))
                as? [[String: Any]]
        else { throw BenchError("tally_apply_batch gave no answer to the plan upserts") }
        for outcome in outcomes where (outcome["status"] as? Int) != 0 {
            throw BenchError("creating the bench plan failed: \(outcome["message"] ?? outcome)")
        }
        var departments: [Department] = []
        for code in codes {
            let made = try store.create(name: "bench \(code)", role: .department, department: code)
            departments.append(Department(code: code, target: "\(code)/updates", credentialID: made.credential.id,
                                          token: made.token))
        }
        let central = try store.create(name: "bench watchers", role: .central, department: nil)
        return BenchPlan(departments: departments, centralToken: central.token)
    }

    private static func upsert(_ credential: String, _ type: String, _ entity: [String: Any]) -> [String: Any] {
        ["op": "upsert", "credential": credential, "role": "admin", "entity_type": type, "entity": entity]
    }

    /// The command the writer sends for one increment of `department`'s target, as a one-element
    /// JSON array for `tally_apply_batch` (what the baseline sends without Tally in between).
    static func incrementBatch(_ department: Department) -> String {
        """
        [{"op":"report_target","credential":"\(department.credentialID)","role":"department",\
        "department":"\(department.code)","request_id":"\(UUID().uuidString)",\
        "target_id":"\(department.target)","increment":"1"}]
        """
    }
}
