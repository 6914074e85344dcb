import ArgumentParser
import Foundation
import Logging
import TallyBench
import TallyCore

/// `tally bench`: measures Tally against PostgreSQL directly, and the RPC layer alone.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Tally: updates/s against a direct PostgreSQL baseline, latency, watchers, ping, streaming, idle memory.",
        discussion: """
        Starts the server as a child process (so its CPU time and memory are measured apart from the \
        load) on a throwaway PostgreSQL cluster (fsync and synchronous_commit on) unless --database \
        is given, runs the phases of --mode, checks that the database holds exactly the \
        acknowledged increments and that every watcher saw every change once and in order, and \
        exits non-zero when a check fails.

        Example:
          swift build -c release && .build/release/tally bench --mode all --duration 10
        """
    )

    @Option(help: "What to measure: updates, ping, stream, idle or all.")
    var mode: String = "all"

    @Option(help: "Seconds per timed phase.")
    var duration: Double = 10

    @Option(help: "Department connections submitting increments (and baseline connections).")
    var departments: Int = 64

    @Option(help: "Watchers receiving every change.")
    var watchers: Int = 20

    @Option(help: "Concurrent Health/Check callers in ping mode (a 1-caller run comes first).")
    var callers: Int = 64

    @Option(help: "Idle connections in idle mode.")
    var connections: Int = 1000

    @Option(help: "PostgreSQL URL; default: a throwaway cluster made and removed by the run.")
    var database: String?

    @Option(help: "Target a running server HOST:PORT instead of starting one (needs --database).")
    var server: String?

    @Option(help: "Central token (unused: the run makes its own credentials; accepted for symmetry).")
    var token: String?

    @Flag(help: "Skip the direct PostgreSQL baseline.")
    var skipBaseline = false

    @Option(help: "Run the baseline and Tally's updates phase this many times, alternating; Tally / baseline is over all rounds.")
    var rounds: Int = 1

    @Flag(help: "Also run ping, updates and idle over TLS beside plaintext, and time new connections both ways.")
    var tls = false

    @Option(name: .customLong("tls-cert"), help: .hidden)
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: .hidden)
    var tlsKey: String?

    @Flag(help: .hidden)
    var serveChild = false

    @Option(help: .hidden)
    var listen: String = "127.0.0.1:0"

    func run() async throws {
        if serveChild {
            guard let database, let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
                throw ValidationError("--serve-child needs --database and --listen HOST:PORT")
            }
            var tls: TLSServerConfiguration?
            if let tlsCert, let tlsKey { tls = TLSServerConfiguration(certificateFile: tlsCert, privateKeyFile: tlsKey) }
            // Logs as deploy/tally.service runs `tally serve`: JSON lines, a line per write.
            LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
            try await BenchServer.run(database: database, host: String(listen[..<colon]), port: port, tls: tls)
            return
        }
        guard let parsedMode = BenchConfiguration.Mode(rawValue: mode) else {
            throw ValidationError("--mode must be one of \(BenchConfiguration.Mode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard duration > 0, departments > 0, watchers >= 0, callers > 0, connections > 0, rounds > 0 else {
            throw ValidationError("--duration, --departments, --callers, --connections and --rounds must be positive")
        }
        if server != nil && database == nil {
            throw ValidationError("--server needs --database (to create the bench departments and check the results)")
        }
        var configuration = BenchConfiguration()
        configuration.mode = parsedMode
        configuration.duration = duration
        configuration.departments = departments
        configuration.watchers = watchers
        configuration.callers = callers
        configuration.connections = connections
        configuration.database = database
        configuration.server = server
        configuration.skipBaseline = skipBaseline
        configuration.rounds = rounds
        configuration.tls = tls
        do {
            try await BenchRunner(configuration: configuration).run()
        } catch let error as BenchError {
            FileHandle.standardError.write(Data("tally bench: \(error.message)\n".utf8))
            throw ExitCode(error.isCheckFailure ? 1 : 2)
        }
    }
}
