import Foundation
import TallyStore

extension DispatchBook {
    /// Every request and report as the database holds them (inside the caller's snapshot transaction).
    static func read(_ connection: PostgresConnection) throws -> DispatchBook {
        let dispatches = try connection.execute("SELECT tally_dispatch_json(id)::text FROM dispatches").rows.map { row in
            try EntityJSON.decode(DispatchRecord.self, from: try row.decode(String.self, at: 0))
        }
        let reports = try connection.execute("SELECT tally_period_report_json(id)::text FROM period_reports").rows.map { row in
            try EntityJSON.decode(PeriodReportRecord.self, from: try row.decode(String.self, at: 0))
        }
        return DispatchBook(dispatches: dispatches, reports: reports)
    }
}
