/// One result row: the text form of each value (nil for NULL), copied out of the PGresult.
public struct Row: Sendable {
    let columnSet: ColumnSet
    let values: [String?]

    init(columns: ColumnSet, values: [String?]) {
        self.columnSet = columns
        self.values = values
    }

    /// Number of columns.
    public var count: Int { values.count }
    /// Column names, in order.
    public var columnNames: [String] { columnSet.names }

    /// The raw text of column `index` (nil for NULL or an index out of range).
    public subscript(index: Int) -> String? {
        values.indices.contains(index) ? values[index] : nil
    }

    /// Decodes column `index` as `T`. NULL decodes only as an Optional; otherwise it is an error.
    public func decode<T: PostgresDecodable>(_ type: T.Type, at index: Int) throws(StoreError) -> T {
        guard values.indices.contains(index) else {
            throw StoreError(kind: .decoding, "column index \(index) out of range (row has \(values.count) columns)")
        }
        return try T.decode(postgresText: values[index], column: columnSet.names[index])
    }

    /// Decodes the first column called `name` as `T`.
    public func decode<T: PostgresDecodable>(_ type: T.Type, column name: String) throws(StoreError) -> T {
        guard let index = columnSet.indexByName[name] else {
            throw StoreError(kind: .decoding, "no column \"\(name)\" in row (columns: \(columnSet.names.joined(separator: ", ")))")
        }
        return try decode(type, at: index)
    }
}
