/// The outcome of one statement, copied out of libpq's PGresult (which is cleared right away).
public struct QueryResult: Sendable {
    /// Column names, in order.
    public var columns: [String]
    /// The rows returned (empty for commands that return none).
    public var rows: [Row]
    /// Rows inserted/updated/deleted/selected as reported by the command tag (0 when not applicable).
    public var affectedRows: Int
    /// The command tag, e.g. `INSERT 0 1`, `UPDATE 3`, `COMMIT`, `ROLLBACK`.
    public var command: String

    public init(columns: [String] = [], rows: [Row] = [], affectedRows: Int = 0, command: String = "") {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
        self.command = command
    }
}

/// Column names and type OIDs shared by all rows of one result.
final class ColumnSet: Sendable {
    let names: [String]
    let typeOIDs: [UInt32]
    let indexByName: [String: Int]

    init(names: [String], typeOIDs: [UInt32]) {
        self.names = names
        self.typeOIDs = typeOIDs
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        self.indexByName = index
    }
}
