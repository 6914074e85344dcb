import Foundation
import GRDB
import TallyWire

/// The outbox file: one SQLite database through GRDB, in WAL mode with `synchronous = FULL`, so that a
/// committed transaction has been fsynced (the WAL) before the call that wrote it returns. A process
/// killed at any point leaves the file as of its last commit; SQLite recovers the WAL on the next open.
struct OutboxStore: Sendable {
    let database: DatabaseQueue

    init(path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        // Several `tally` processes may share the file: wait for another's write rather than fail.
        configuration.busyMode = .timeout(10)
        // WAL set here rather than with `journalMode = .wal`, which would then lower `synchronous`
        // to NORMAL (a commit not yet fsynced when it returns).
        configuration.prepareDatabase { db in
            guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                throw OutboxError("cannot put the outbox file \(db.description) in WAL mode")
            }
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        database = try DatabaseQueue(path: path, configuration: configuration)
        try Self.migrator.migrate(database)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE outbox (
                    id               INTEGER PRIMARY KEY AUTOINCREMENT, -- #N, in the order made
                    server           TEXT NOT NULL,                     -- host:port it is for
                    method           TEXT NOT NULL,                     -- ReportTarget, ReportProject, ...
                    request_id       TEXT NOT NULL UNIQUE,
                    body             BLOB NOT NULL,                     -- the request, protobuf, made_at included
                    subject          TEXT NOT NULL,
                    expected_version INTEGER NOT NULL DEFAULT 0,
                    made_at_ms       INTEGER NOT NULL,
                    state            TEXT NOT NULL CHECK (state IN ('queued', 'delivered', 'failed')),
                    attempts         INTEGER NOT NULL DEFAULT 0,
                    last_attempt_ms  INTEGER,
                    status_code      INTEGER,
                    message          TEXT,
                    sequence         INTEGER,
                    replayed         INTEGER NOT NULL DEFAULT 0,
                    delivered_ms     INTEGER
                );
                CREATE INDEX outbox_waiting ON outbox (server, state, id);
                """)
        }
        return migrator
    }

    static func item(_ row: Row) throws -> OutboxItem {
        let stateText: String = row["state"]
        guard let state = OutboxItem.State(rawValue: stateText) else {
            throw OutboxError("outbox item \(row["id"] as Int64): unknown state \"\(stateText)\"")
        }
        let code: Int32? = row["status_code"]
        let madeAt: Int64 = row["made_at_ms"]
        let lastAttempt: Int64? = row["last_attempt_ms"]
        let delivered: Int64? = row["delivered_ms"]
        return OutboxItem(
            id: row["id"], server: row["server"],
            write: try OutboxWrite(method: row["method"], body: row["body"]),
            state: state, attempts: row["attempts"], madeAt: date(madeAt),
            lastAttemptAt: lastAttempt.map(date), statusCode: code.map(StatusCode.init(rawValue:)),
            message: row["message"], sequence: row["sequence"], replayed: row["replayed"],
            deliveredAt: delivered.map(date))
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }
}
