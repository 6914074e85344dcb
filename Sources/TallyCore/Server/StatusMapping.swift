import TallyStore
import TallyWire

/// The one place where database errors become call statuses.
enum StatusMapping {
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
                return RPCError(.unavailable, "the database is read-only: writes are refused until it is writable again",
                                cause: error)
            case .some(.diskFull):
                return RPCError(.unavailable, "the database is out of disk space: writes are refused until space is freed",
                                cause: error)
            default:
                return RPCError(.internalError, "internal error", cause: error)
            }
        }
        if error is CancellationError { return RPCError(.cancelled, "call cancelled", cause: error) }
        return RPCError(.internalError, "internal error", cause: error)
    }
}

extension ConnectionPool {
    /// `withConnection` for handlers: database errors become call statuses (UNAVAILABLE while it is down).
    func serving<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        do { return try await withConnection(body) } catch { throw StatusMapping.rpcError(error) }
    }
}
