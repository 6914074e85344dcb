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

    /// Creates the plan entries (if missing) with plain SQL and makes fresh credentials. A server
    /// loads them when it starts, so a running server (`--server`) must have been started after
    /// they existed.
    static func create(count: Int, database: BenchDatabase) throws -> BenchPlan {
        let connection = try database.connect()
        defer { connection.close() }
        let codes = "SELECT i, 'bench-' || CASE WHEN i < 10 THEN '0' ELSE '' END || i AS code FROM generate_series(1, $1::int) AS i"
        try connection.transaction { connection in
            try connection.execute("""
                INSERT INTO departments (code, name, kind, sort_order)
                SELECT code, '压测 ' || code, 'subdistrict', 1000 + i FROM (\(codes)) c ON CONFLICT DO NOTHING
                """, [.int64(Int64(count))])
            try connection.execute("""
                INSERT INTO lines (code, department, name, goal, sort_order)
                SELECT code || '/load', code, '压测 load', '', 0 FROM (\(codes)) c ON CONFLICT DO NOTHING
                """, [.int64(Int64(count))])
            try connection.execute("""
                INSERT INTO targets (id, department, line, name, unit, direction, target_figure, period, qualifier, sort_order)
                SELECT code || '/updates', code, code || '/load', '压测 updates', '个', 'at_least', 1000000000,
                       (SELECT min(code) FROM periods WHERE kind = 'year'), '', 0
                FROM (\(codes)) c ON CONFLICT DO NOTHING
                """, [.int64(Int64(count))])
        }
        let store = CredentialStore(configuration: database.configuration)
        var departments: [Department] = []
        for index in 1...count {
            let code = String(format: "bench-%02d", index)
            let made = try store.create(name: "bench \(code)", role: .department, department: code)
            departments.append(Department(code: code, target: "\(code)/updates", credentialID: made.credential.id,
                                          token: made.token))
        }
        let central = try store.create(name: "bench watchers", role: .central, department: nil)
        return BenchPlan(departments: departments, centralToken: central.token)
    }

    /// The command the writer sends for one increment of `department`'s target: the JSON object
    /// its lone statement (``LoneIncrement``) takes.
    static func increment(_ department: Department) -> String {
        """
        {"op":"report_target","credential":"\(department.credentialID)","role":"department",\
        "department":"\(department.code)","request_id":"\(UUID().uuidString)",\
        "target_id":"\(department.target)","increment":"1"}
        """
    }
}
