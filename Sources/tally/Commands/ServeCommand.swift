import ArgumentParser
import Foundation
import Logging
import TallyClient
import TallyCore
import TallyHTTP
import TallyPresentation
import TallyRPC

/// `tally serve`: runs the server until Ctrl-C or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Tally server (embedded PostgreSQL unless --database is given).",
        discussion: """
        It first checks that it can listen on its address (exit 7 if not), then uses the database. \
        Without a database setting, serve creates and starts a PostgreSQL cluster of its own under \
        its home (--home, $TALLY_HOME, else ~/.local/share/tally, the same from any directory) from \
        the system's PostgreSQL binaries (as the postgres user when run as root), migrates it, \
        loads the 2023 plan into an empty database and listens on 127.0.0.1:7411. Ctrl-C stops the \
        server and the embedded PostgreSQL it started.

        Example:
          tally serve --listen 0.0.0.0:7411 --database postgres://tally@db/tally
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var db: DatabaseOptions

    @Option(name: .long, help: "Address to listen on, HOST:PORT (port 0 picks a free one).")
    var listen: String = "127.0.0.1:7411"

    @Option(name: .long, help: "Connections to PostgreSQL in the pool.")
    var poolSize: Int = 8

    @Option(name: .long, help: "Compute dashboards at this date unless a request names one (e.g. 2023-11-27, to look at the 2023 campaign).")
    var asOf: String?

    @Option(name: .long, help: "Days after a period's due day that reports made in it (queued offline) are still accepted.")
    var lateGraceDays: Int = 7

    @Flag(name: .long, help: "Log each call at debug level.")
    var verbose = false

    @OptionGroup var side: ServeHTTPOptions

    func validate() throws {
        if let asOf, AsOfDate.parse(asOf) == nil { throw ValidationError("--as-of must be a date such as 2023-11-27") }
    }

    func run() async throws {
        let settings = try db.settings(global)
        let lang = settings.language
        guard let address = ServerAddress(parsing: listen) else {
            throw CLIError(.usage, lang.pick(zh: "监听地址无效：\(listen)", en: "invalid --listen address `\(listen)`"))
        }
        if let problem = ListenProbe.problem(host: address.host, port: address.port) {
            throw CLIError(.cannotListen, lang.pick(zh: "无法监听 \(address)：\(problem)（未改动数据库）",
                                                    en: "cannot listen on \(address): \(problem) (no database was touched)"))
        }
        let progress = ProgressReporter(enabled: true, lang: lang)
        let signals = SignalWaiter()
        let target = try DatabaseTarget.open(settings, progress: progress, mayCreate: true)
        side.bootstrapLogging()
        var logger = Logger(label: "tally.server")
        logger.logLevel = verbose ? .debug : .info
        var configuration = TallyServerConfiguration(database: target.configuration)
        configuration.host = address.host
        configuration.port = address.port
        configuration.poolSize = poolSize
        configuration.campaignClock = asOf.flatMap(AsOfDate.parse)
        configuration.lateDeliveryGrace = TimeInterval(max(0, lateGraceDays)) * 86_400
        let server = TallyServer(configuration: configuration, logger: logger)
        let port: Int
        do {
            port = try await server.start()
        } catch let error as RPCSetupError {
            target.close(progress: progress)
            throw CLIError(.cannotListen, lang.pick(zh: "无法监听 \(address)：\(error)", en: "cannot listen on \(address): \(error)"))
        } catch {
            target.close(progress: progress)
            throw CLIError(.database, lang.pick(zh: "服务启动失败：\(error)", en: "cannot start the server: \(error)"))
        }
        let bound = ServerAddress(host: address.host, port: port)
        let web: (HTTPSideDoor, ServerAddress)?
        do {
            web = try await side.startSideDoor(server, logger: logger, lang: lang)
        } catch {
            await server.shutdown()
            target.close(progress: progress)
            throw error
        }
        printWelcome(bound: bound, target: target, settings: settings, lang: lang)
        if let web { Console.out(lang.pick(zh: "网页大屏：http://\(web.1)/", en: "web dashboard: http://\(web.1)/")) }
        let signal = await signals.wait()
        Console.err(lang.pick(zh: "收到信号 \(signal)，正在停止…", en: "signal \(signal) received, stopping…"))
        await web?.0.shutdown()
        await server.shutdown()
        target.close(progress: progress)
        Console.err(lang.pick(zh: "已停止。", en: "stopped."))
    }

    private func printWelcome(bound: ServerAddress, target: DatabaseTarget, settings: Settings, lang: Language) {
        let config = global.config.map { " --config \($0)" } ?? ""
        let database = db.database.map { " --database '\(DatabaseTarget.redacted($0))'" }
            ?? (db.home != nil ? target.embedded.map { " --home '\($0.home)'" } : nil) ?? ""
        let server = bound.description == "127.0.0.1:7411" ? "" : " --server \(bound)"
        Console.out(lang.pick(zh: "Tally 服务已启动，监听 \(bound)", en: "Tally is listening on \(bound)"))
        Console.out(lang.pick(zh: "数据库：\(target.displayName)", en: "database: \(target.displayName)"))
        Console.out(lang.pick(zh: "下一步（另开一个终端）：", en: "Next (in another terminal):"))
        Console.out("  tally credential create\(config)\(database) --name central --role central")
        Console.out("  tally dashboard\(server) --token TOKEN")
        Console.out(lang.pick(zh: "按 Ctrl-C 停止。", en: "Press Ctrl-C to stop."))
    }
}
