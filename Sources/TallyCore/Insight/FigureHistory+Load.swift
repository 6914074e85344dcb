import Foundation
import TallyStore

extension FigureHistory {
    /// Rebuilds the history from the change log (inside the caller's snapshot), in log order.
    static func read(_ connection: PostgresConnection) throws -> FigureHistory {
        var history = FigureHistory()
        let figures = try connection.execute("""
            SELECT subject_id, period, old_value, new_value FROM change_log
            WHERE kind = 'target' AND field = 'current_figure' AND length(period) = 7 ORDER BY sequence
            """)
        for row in figures.rows {
            history.recordFigure(target: try row.decode(String.self, at: 0), month: try row.decode(String.self, at: 1),
                                 old: try row.decode(String.self, at: 2), new: try row.decode(String.self, at: 3))
        }
        let stages = try connection.execute("""
            SELECT subject_id, max(period) FROM change_log
            WHERE kind IN ('project', 'register') AND field = 'stage' AND length(period) = 7 GROUP BY subject_id
            """)
        for row in stages.rows {
            history.recordStage(project: try row.decode(String.self, at: 0), month: try row.decode(String.self, at: 1))
        }
        return history
    }
}
