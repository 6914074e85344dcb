internal import CLibPQ
import Foundation

extension PostgresConnection {
    /// Turns a PGresult into a `QueryResult` or a `StoreError`, and PQclear's it in both cases.
    @discardableResult
    func consume(_ result: OpaquePointer?, _ parameters: [PostgresValue]) throws(StoreError) -> QueryResult {
        guard let result else { throw connectionError(parameters) }
        defer { PQclear(result) }
        // PQresultStatus: COMMAND_OK (no rows), TUPLES_OK (rows), EMPTY_QUERY (blank SQL) are
        // successes; FATAL_ERROR/NONFATAL_ERROR/BAD_RESPONSE carry an error; COPY_* would need
        // the COPY sub-protocol, which we do not speak; the pipeline states are handled by
        // `pipeline` before it calls this.
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return Self.copy(result)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            // The session is now inside COPY; the simplest sound recovery is to drop it.
            close()
            throw StoreError(kind: .query, "COPY is not supported by this client; the connection was closed")
        default:
            throw error(from: result, parameters)
        }
    }

    /// Copies names, types and every value out of `result` (which the caller clears).
    static func copy(_ result: OpaquePointer) -> QueryResult {
        // PQnfields/PQntuples: counts, 0 for commands without rows.
        let columnCount = PQnfields(result)
        let rowCount = PQntuples(result)
        let names = (0..<columnCount).map { column in PQfname(result, column).map { String(cString: $0) } ?? "?" }
        let types = (0..<columnCount).map { column in UInt32(PQftype(result, column)) }
        let columnSet = ColumnSet(names: names, typeOIDs: types)
        var rows: [Row] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                // PQgetisnull: 1 for NULL (PQgetvalue would give ""); PQgetvalue points into the
                // PGresult, so the bytes are copied into a String before PQclear.
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else if let value = PQgetvalue(result, row, column) {
                    let length = Int(PQgetlength(result, row, column))
                    let bytes = UnsafeRawBufferPointer(start: value, count: length)
                    values.append(String(decoding: bytes, as: UTF8.self))
                } else {
                    values.append(nil)
                }
            }
            rows.append(Row(columns: columnSet, values: values))
        }
        // PQcmdStatus: the command tag ("UPDATE 3"); PQcmdTuples: its row count, "" when none.
        let command = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        return QueryResult(columns: names, rows: rows, affectedRows: affected, command: command)
    }

    /// The error of a failed statement: the server's fields, and `.connectionLost` when libpq
    /// now reports the connection as broken (PQstatus CONNECTION_BAD).
    func error(from result: OpaquePointer, _ parameters: [PostgresValue]) -> StoreError {
        // PQresultErrorField: the field's text, or NULL when the server (or libpq, for its own
        // errors) did not set it. Field codes are the PG_DIAG_* characters.
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue, let text = PQresultErrorField(result, Int32(ascii)) else { return nil }
            return String(cString: text)
        }
        let message = field("M") ?? Self.clean(PQresultErrorMessage(result))
        let lost = handle.map { PQstatus($0) == CONNECTION_BAD } ?? true
        return StoreError(
            kind: lost ? .connectionLost : .query, message,
            sqlState: field("C").map(SQLState.init(rawValue:)), detail: field("D"), hint: field("H"),
            constraintName: field("n"), redacting: redactions(parameters))
    }

    /// The error when libpq gave no result at all: a broken connection, or out of memory.
    func connectionError(_ parameters: [PostgresValue]) -> StoreError {
        guard let handle else { return StoreError(kind: .connectionLost, "connection is closed") }
        let message = Self.clean(PQerrorMessage(handle))
        let lost = PQstatus(handle) == CONNECTION_BAD
        return StoreError(kind: lost ? .connectionLost : .query, message, redacting: redactions(parameters))
    }

    /// Texts `description` must hide: the parameters of the failed statement and the password.
    func redactions(_ parameters: [PostgresValue]) -> [String] {
        secrets + parameters.compactMap { value in
            switch value {
            case .null, .int64, .int32, .bool: return nil  // short numbers would mangle messages
            case .text, .timestamp, .decimal, .uuid, .bytes: return value.textValue
            }
        }
    }
}
