import Foundation
import TallyStore

/// Direct SQL for checking what the database holds, outside Tally.
enum DB {
    static func query(_ configuration: PostgresConfiguration, _ sql: String,
                      _ parameters: [PostgresValue] = []) throws -> QueryResult {
        let connection = try PostgresConnection(configuration: configuration)
        defer { connection.close() }
        return try connection.execute(sql, parameters)
    }

    static func int(_ configuration: PostgresConfiguration, _ sql: String, _ parameters: [PostgresValue] = []) throws -> Int64 {
        guard let row = try query(configuration, sql, parameters).rows.first else { return 0 }
        return try row.decode(Int64?.self, at: 0) ?? 0
    }

    static func text(_ configuration: PostgresConfiguration, _ sql: String, _ parameters: [PostgresValue] = []) throws -> String {
        guard let row = try query(configuration, sql, parameters).rows.first else { return "" }
        return try row.decode(String?.self, at: 0) ?? ""
    }

    /// A digest of everything a department or the plan can change, and of the log and credentials:
    /// equal digests before and after mean nothing changed.
    static func fingerprint(_ configuration: PostgresConfiguration) throws -> String {
        try text(configuration, """
            SELECT md5(concat_ws('|',
              (SELECT string_agg(id || ':' || current_figure || ':' || version || ':' || target_figure || ':' || name, ',' ORDER BY id) FROM targets),
              (SELECT string_agg(id || ':' || stage || ':' || investment_completed || ':' || percent || ':' || version || ':' || name, ',' ORDER BY id) FROM projects),
              (SELECT string_agg(code || ':' || name, ',' ORDER BY code) FROM departments),
              (SELECT string_agg(id || ':' || name || ':' || planned_count, ',' ORDER BY id) FROM batches),
              (SELECT string_agg(id || ':' || coalesce(revoked_at::text, '-'), ',' ORDER BY id) FROM credentials),
              (SELECT count(*)::text || ':' || coalesce(max(sequence), 0)::text FROM change_log),
              (SELECT count(*)::text FROM requests),
              (SELECT string_agg(id || ':' || coalesce(closed_at::text, '-'), ',' ORDER BY id) FROM dispatches),
              (SELECT count(*)::text || ':' || count(answered_at)::text FROM dispatch_recipients),
              (SELECT string_agg(id || ':' || review_state, ',' ORDER BY id) FROM period_reports)))
            """)
    }

    /// Sum of current figures of the given targets.
    static func figures(_ configuration: PostgresConfiguration, _ targets: [String]) throws -> [String: Decimal] {
        var out: [String: Decimal] = [:]
        for row in try query(configuration, "SELECT id, current_figure FROM targets WHERE id = ANY(string_to_array($1, ','))",
                             [.text(targets.joined(separator: ","))]).rows {
            out[try row.decode(String.self, at: 0)] = try row.decode(Decimal.self, at: 1)
        }
        return out
    }
}
