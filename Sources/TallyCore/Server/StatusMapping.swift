import TallyStore
import TallyWire

/// The one place where database errors become call statuses.
enum StatusMapping {
    static let readOnly = "the database is read-only: writes are refused until it is writable again; reads keep working"
    static let diskFull = "the database is out of disk space: writes are refused until space is freed; reads keep working"

    /// UNAVAILABLE for anything a retry may cure (database down, connection lost, pool busy),
    /// INTERNAL for the rest; an RPCError passes through unchanged. The store's own message stays
    /// in the status's ``RPCError/cause`` for the server's log and never reaches the client.
    static func rpcError(_ error: any Error) -> RPCError {
        if let error = error as? RPCError { return error }
        if let error = error as? StoreError {
            if error.isRetryable || error.kind == .connectionFailed || (error.kind == .query && error.sqlState == nil) {
                return RPCError(.unavailable, "database unavailable, retry", cause: error)
            }
            switch error.sqlState {
            case .some(.readOnlySQLTransaction):
                return RPCError(.unavailable, readOnly, cause: error)
            case .some(.diskFull):
                return RPCError(.unavailable, diskFull, cause: error)
            default:
                return RPCError(.internalError, "internal error", cause: error)
            }
        }
        if error is CancellationError { return RPCError(.cancelled, "call cancelled", cause: error) }
        return RPCError(.internalError, "internal error", cause: error)
    }

    /// The status of one failed write command, from the code the writer's SQL raised: Tally's own
    /// named codes (Schema/003) or PostgreSQL's SQLSTATE for what a constraint refused.
    static func writeStatus(_ code: String) -> StatusCode {
        switch code {
        case "TLARG", "22P02", "22003", "23514", "23502", "22023", "22007", "22008": .invalidArgument
        case "TLNOT", "23503": .notFound
        case "TLDUP", "23505": .alreadyExists
        case "TLDNY": .permissionDenied
        case "TLORD": .failedPrecondition
        case "TLVER": .aborted
        case "TLREV": .unauthenticated
        case "25006", "53100", "53200", "53300", "57P01", "57P02", "57P03": .unavailable
        default: .internalError
        }
    }

    /// A failed write command as the caller's error, with the texts for the database's own states.
    /// INTERNAL says only "internal error"; the database's text stays in the cause, for the log.
    static func writeFailure(_ code: String, _ message: String, metadata: [String: String]) -> RPCError {
        let status = writeStatus(code)
        let text = switch code {
        case "25006": readOnly
        case "53100": diskFull
        case "22P02", "22003": "invalid number: " + message
        default: status == .internalError ? "internal error" : message
        }
        return RPCError(status, text, metadata: metadata, cause: WriteCommandFailure(code: code, message: message))
    }
}

/// A command the writer's SQL refused, as the database said it (a status's cause, never sent).
struct WriteCommandFailure: Error, CustomStringConvertible {
    var code: String
    var message: String
    var description: String { "\(code): \(message)" }
}

extension ConnectionPool {
    /// `withConnection` for handlers: database errors become call statuses (UNAVAILABLE while it is down).
    func serving<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        do { return try await withConnection(body) } catch { throw StatusMapping.rpcError(error) }
    }

    /// `read` for handlers: like `serving`, and run once more when a connection that died while idle
    /// in the pool (after a database restart or failover) fails under it.
    func reading<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        do { return try await read(body) } catch { throw StatusMapping.rpcError(error) }
    }
}
