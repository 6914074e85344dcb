-- The writer's and the change feed's durability barrier (Sources/TallyStore/PostgresConnection+Durability.swift).
-- A batch commits asynchronously (it releases the change-log head before the WAL flush); a barrier
-- transaction after it, committed with the database's synchronous_commit, waits for the WAL flush
-- up to its own commit record and so past the batch's. PostgreSQL commits a transaction that wrote
-- no WAL asynchronously whatever the setting (taking a transaction id alone writes none), so the
-- barrier writes a row: one per backend, so that barriers of different connections never wait for
-- each other's row lock (each would hold it through its flush).
CREATE TABLE durability_barrier (
    backend_pid integer PRIMARY KEY,
    barriers bigint NOT NULL
);
