extension PostgresConnection {
    /// A durability barrier: a transaction of its own that writes a row (Schema/011's
    /// `durability_barrier`, one row per backend) and so writes WAL and a commit record, committed
    /// with the session's `synchronous_commit` (the database's setting). With that setting on, its
    /// COMMIT returns only once the WAL is flushed up to its own commit record, and WAL is flushed
    /// in order: every transaction whose commit record came before it (an asynchronous commit of
    /// this session, or any commit another session made visible before this one started) is then
    /// as durable as a synchronous commit. (A transaction that only takes a transaction id writes
    /// no WAL, and PostgreSQL commits such a one asynchronously whatever the setting.) Send it after
    /// an explicit COMMIT, or alone; never inside a transaction block.
    public static let durabilityBarrier = Statement("""
        INSERT INTO durability_barrier (backend_pid, barriers) VALUES (pg_backend_pid(), 1)
        ON CONFLICT (backend_pid) DO UPDATE SET barriers = durability_barrier.barriers + 1
        RETURNING pg_current_xact_id()::text
        """)

    /// Runs ``durabilityBarrier`` on its own: afterwards everything this connection has seen
    /// committed survives a crash (see PostgreSQL's "Asynchronous Commit": recovery replays WAL up
    /// to the last flushed record, in commit order).
    public func awaitDurability() throws(StoreError) {
        _ = try execute(Self.durabilityBarrier.sql)
    }
}
