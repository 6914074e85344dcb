internal import CLibPQ
import Dispatch
import Foundation

/// One libpq connection (PGconn), owned by this object: `close()` frees it (PQfinish) exactly
/// once, `deinit` frees it if `close()` was not called.
///
/// Synchronous and blocking. Use it from one thread at a time: the pool runs each connection
/// on its own serial DispatchQueue (checked with `dispatchPrecondition` in debug builds); never
/// call it on the Swift cooperative pool or on a socket I/O queue.
///
/// Every connection sets `TimeZone=UTC`, `DateStyle=ISO, MDY` and `client_encoding=UTF8`, so
/// timestamps and text decode the same way everywhere.
public final class PostgresConnection: @unchecked Sendable {
    // @unchecked Sendable: all mutable state (`handle`, `preparedStatements`, `nextPreparedID`) is
    // used by one thread at a time: the caller's, or the pool's serial queue for this connection
    // (`owningQueue`, checked in debug builds).
    var handle: OpaquePointer?
    /// The configuration this connection was opened with.
    public let configuration: PostgresConfiguration
    /// Texts that must never appear in error descriptions (the password).
    let secrets: [String]
    /// Prepared statements of this session: (SQL, parameter types) -> statement name.
    var preparedStatements: [PreparedKey: String] = [:]
    var nextPreparedID = 0
    /// Set by the pool: the serial queue that must run every call on this connection.
    var owningQueue: DispatchQueue?

    struct PreparedKey: Hashable {
        var sql: String
        var types: [UInt32]
    }

    /// Opens a connection. Throws `.connectionFailed` with libpq's message (server down, database
    /// missing, password wrong, unparsable conninfo); waits at most the connect timeout.
    public init(configuration: PostgresConfiguration) throws(StoreError) {
        self.configuration = configuration
        let password = try configuration.parsedOptions().first(where: { $0.keyword == "password" })?.value
        self.secrets = password.map { [$0] } ?? []
        // Later keywords override earlier ones: the conninfo (expanded from `dbname`) may override
        // our connect_timeout, and client_encoding is forced to UTF8 after it.
        let keywords: [String?] = ["connect_timeout", "dbname", "client_encoding", nil]
        let values: [String?] = [String(configuration.defaultConnectTimeout), configuration.conninfo, "UTF8", nil]
        let connection = try CStrings.with(keywords) { (keywordPointers) throws(StoreError) in
            try CStrings.with(values) { valuePointers in
                // PQconnectdbParams: blocks until connected or failed (bounded by connect_timeout).
                // Returns NULL only when out of memory; otherwise a PGconn whose PQstatus tells
                // CONNECTION_OK or CONNECTION_BAD (message in PQerrorMessage). Must be PQfinish'ed
                // either way.
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw StoreError(kind: .connectionFailed, "cannot connect to PostgreSQL: libpq is out of memory")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.clean(PQerrorMessage(connection))
            PQfinish(connection)
            throw StoreError(kind: .connectionFailed, "cannot connect to PostgreSQL: \(message)", redacting: secrets)
        }
        // PQsetNoticeProcessor: returns the previous processor; ours drops notices (e.g. "there is
        // no transaction in progress") instead of printing them to stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
        do {
            try executeScript("SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, MDY'")
        } catch {
            close()
            throw StoreError(kind: .connectionFailed, "cannot set up session: \(error.message)", sqlState: error.sqlState)
        }
    }

    deinit {
        close()
    }

    /// Closes the connection (PQfinish). Safe to call more than once; later calls on this
    /// connection throw `.connectionLost`.
    public func close() {
        guard let handle else { return }
        self.handle = nil
        preparedStatements = [:]
        // PQfinish: closes the socket and frees the PGconn; returns nothing. Called exactly once
        // per PGconn because `handle` is cleared first.
        PQfinish(handle)
    }

    /// True while the connection is open and libpq has not seen it break (PQstatus CONNECTION_OK).
    /// A server-side close is noticed only by the next call.
    public var isHealthy: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// The server process id of this session (for `pg_terminate_backend`, logs).
    public var backendPID: Int {
        guard let handle else { return 0 }
        // PQbackendPID: the backend's pid, 0 when not connected.
        return Int(PQbackendPID(handle))
    }

    /// Runs one statement with parameters `$1…$n` (PQexecParams, text format) and returns its
    /// rows. Server errors throw `.query` with SQLSTATE; a broken connection throws `.connectionLost`.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresValue] = []) throws(StoreError) -> QueryResult {
        let connection = try liveHandle()
        let result = try CStrings.withParameters(parameters) { count, types, values in
            // PQexecParams: sends one statement (multiple statements are an error) and waits for
            // its result. Returns a PGresult (success or error, see `consume`) or NULL when out of
            // memory or the statement could not be sent (connection broken).
            PQexecParams(connection, sql, count, types, values, nil, nil, 0)
        }
        return try consume(result, parameters)
    }

    /// Drops this connection's cached plans (`DISCARD PLANS`): prepared statements stay prepared
    /// and are planned again on their next use, for the tables as they are now (``ReplanSchedule``).
    public func discardPlans() throws(StoreError) {
        try execute("DISCARD PLANS")
    }

    /// Like `execute`, but prepares the statement on first use (PQprepare) and then runs the
    /// prepared statement (PQexecPrepared); cached per connection by SQL and parameter types.
    /// Use for hot statements.
    @discardableResult
    public func executePrepared(_ sql: String, _ parameters: [PostgresValue] = []) throws(StoreError) -> QueryResult {
        let connection = try liveHandle()
        let key = PreparedKey(sql: sql, types: parameters.map(\.typeOID))
        let name: String
        if let cached = preparedStatements[key] {
            name = cached
        } else {
            name = "tally_stmt_\(nextPreparedID)"
            nextPreparedID += 1
            let prepared = key.types.withUnsafeBufferPointer { types in
                // PQprepare: returns a PGresult with PGRES_COMMAND_OK on success or an error
                // result (syntax error, unknown table...), or NULL as for PQexecParams.
                PQprepare(connection, name, sql, Int32(types.count), types.baseAddress)
            }
            try consume(prepared, [])
            preparedStatements[key] = name
        }
        let result = try CStrings.withParameters(parameters) { count, _, values in
            // PQexecPrepared: results as PQexecParams. 26000 means the statement is gone (e.g.
            // DISCARD ALL), 0A000 "cached plan must not change result type" after DDL: forget it.
            PQexecPrepared(connection, name, count, values, nil, nil, 0)
        }
        do {
            return try consume(result, parameters)
        } catch {
            if error.sqlState == .invalidSQLStatementName || error.sqlState == .featureNotSupported {
                preparedStatements[key] = nil
            }
            throw error
        }
    }

    /// Runs trusted SQL without parameters that may hold several statements (PQexec, simple
    /// protocol), e.g. a migration script. Never put user input in it: use `execute` with parameters.
    public func executeScript(_ sql: String) throws(StoreError) {
        let connection = try liveHandle()
        // PQexec: runs all statements in one implicit transaction (unless the script has its own
        // BEGIN/COMMIT) and returns the last result, or the first error result; NULL as above.
        try consume(PQexec(connection, sql), [])
    }

    /// The open PGconn, or `.connectionLost` when closed or broken.
    func liveHandle() throws(StoreError) -> OpaquePointer {
        #if DEBUG
            if let owningQueue { dispatchPrecondition(condition: .onQueue(owningQueue)) }
        #endif
        guard let handle else { throw StoreError(kind: .connectionLost, "connection is closed") }
        // PQstatus: CONNECTION_OK, or CONNECTION_BAD once libpq saw the connection break.
        guard PQstatus(handle) == CONNECTION_OK else {
            throw StoreError(kind: .connectionLost, "connection to the server was lost")
        }
        return handle
    }

    /// libpq's message text on one line, without the trailing newline.
    static func clean(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown error" }
        return String(cString: message)
            .replacingOccurrences(of: "\n\t", with: " ")
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\n", with: "; ")
    }
}
