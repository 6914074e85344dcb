extension PostgresConnection {
    /// A durability barrier: a transaction of its own that takes a transaction id and so writes a
    /// commit record, committed with the session's `synchronous_commit` (the database's setting).
    /// With that setting on, its COMMIT returns only once the WAL is flushed up to its own commit
    /// record, and WAL is flushed in order: every transaction whose commit record came before it
    /// (an asynchronous commit of this session, or any commit another session made visible before
    /// this one started) is then as durable as a synchronous commit. Send it after an explicit
    /// COMMIT, or alone; never inside a transaction block.
    public static let durabilityBarrier = Statement("SELECT pg_current_xact_id()")

    /// Runs ``durabilityBarrier`` on its own: afterwards everything this connection has seen
    /// committed survives a crash (see PostgreSQL's "Asynchronous Commit": recovery replays WAL up
    /// to the last flushed record, in commit order).
    public func awaitDurability() throws(StoreError) {
        _ = try execute(Self.durabilityBarrier.sql)
    }
}
