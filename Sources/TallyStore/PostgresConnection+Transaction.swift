internal import CLibPQ

extension PostgresConnection {
    /// Runs `body` inside BEGIN … COMMIT. If `body` throws, the transaction is rolled back and
    /// `body`'s error is rethrown (also when the ROLLBACK itself fails because the connection
    /// died). A COMMIT that the server turns into a rollback (a statement in the transaction
    /// failed and `body` swallowed the error) throws 25P02.
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try execute("BEGIN")
        let value: T
        do {
            value = try body(self)
        } catch {
            rollbackQuietly()
            throw error
        }
        let commit = try execute("COMMIT")
        if commit.command == "ROLLBACK" {
            throw StoreError(
                kind: .query, "the transaction was rolled back because a statement in it failed",
                sqlState: .inFailedSQLTransaction)
        }
        return value
    }

    /// The session's transaction state, for the pool to clean up before reuse.
    enum TransactionState {
        case idle, inTransaction, failed, busy
    }

    var transactionState: TransactionState {
        guard let handle else { return .busy }
        // PQtransactionStatus: IDLE, INTRANS (in a block), INERROR (in a failed block), ACTIVE
        // (a command is running) or UNKNOWN (connection bad).
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .failed
        default: return .busy
        }
    }

    /// ROLLBACK, ignoring errors (the caller already has the error that matters).
    func rollbackQuietly() {
        guard isHealthy else { return }
        _ = try? execute("ROLLBACK")
    }

    /// Makes the connection fit for the next user of a pool: rolls back an open transaction.
    /// Returns false when the connection should be discarded instead.
    func prepareForReuse() -> Bool {
        guard isHealthy else { return false }
        switch transactionState {
        case .idle: return true
        case .inTransaction, .failed:
            rollbackQuietly()
            return isHealthy && transactionState == .idle
        case .busy: return false
        }
    }
}
