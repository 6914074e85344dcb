/// The exit codes of `tally`, listed in the root command's help.
enum ExitStatus: Int32, Sendable, CaseIterable {
    case success = 0
    /// Bad flags, arguments, settings or input files (such as a CSV with bad rows).
    case usage = 1
    /// The server answered with an error (a rejected report, a version conflict, an unknown id).
    case server = 2
    /// The server or the database could not be reached.
    case unreachable = 3
    /// The token is missing, wrong or revoked, or the credential may not do this.
    case auth = 4
    /// A local database or embedded-PostgreSQL step failed (migrate, seed, credential, serve).
    case database = 5
    /// No embedded database under the home, and the command may not create one (start `tally serve`).
    case noDatabase = 6
    /// `tally serve` cannot listen on its address (in use, not permitted, or not this host's).
    case cannotListen = 7
    /// The write could not reach the server and waits in the outbox (sysexits' EX_TEMPFAIL).
    case queued = 75

    /// One line per code, for `--help`.
    static var helpTable: String {
        """
        EXIT CODES:
          0  success
          1  usage: bad flags, settings or input (a CSV with bad rows)
          2  the server rejected the request (conflict, unknown id, bad value)
          3  unreachable: the server or database cannot be reached
          4  authentication: missing, wrong or revoked token, or not allowed
          5  database: migrate, seed, credential or embedded PostgreSQL
          6  no database: no Tally database at the home (start `tally serve` first or pass --database)
          7  cannot listen: `tally serve`'s address is in use or not available
          75 queued: server unreachable, the report waits in the outbox (tally sync)
        """
    }
}
