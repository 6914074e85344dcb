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

        Beyond loopback, serve requires TLS (--tls-cert and --tls-key; clients then connect to \
        tallys://HOST:PORT with --ca) or an explicit --insecure-plaintext. The same files and the \
        same rule apply to --http (then https://). SIGHUP reloads the certificate and key on both \
        listeners without dropping connections.

        Example:
          tally serve --listen 0.0.0.0:7411 --tls-cert cert.pem --tls-key key.pem
          tally serve --database postgres://tally_runtime@db/tally
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var tls: TLSServeOptions

    @Option(name: .long, help: "Address to listen on, HOST:PORT (port 0 picks a free one).")
    var listen: String = "127.0.0.1:7411"

    @Option(name: .long, help: "Connections to PostgreSQL in the pool.")
    var poolSize: Int = 8

    @Option(name: .long, help: ArgumentHelp(
        "For demos and tests only: pretend it is now this date (e.g. 2023-11-27). Reports that name no period then count for that date's month, and dashboards without --as-of are computed at it.",
        discussion: "Without it the server's clock decides: a report counts for the month (China Standard Time) in which the server accepts it. To look at a past date, use `tally dashboard --as-of` instead."))
    var pinNow: String?

    @Option(name: .long, help: "Days after a period's due day that reports made in it (queued offline) are still accepted.")
    var lateGraceDays: Int = 7

    @Flag(name: .long, help: "Log each call at debug level.")
    var verbose = false

    @OptionGroup var side: ServeHTTPOptions
    @OptionGroup var warn: WarningOptions

    func validate() throws {
        if let pinNow, AsOfDate.parse(pinNow) == nil { throw ValidationError("--pin-now must be a date such as 2023-11-27") }
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
        side.bootstrapLogging()
        let notices = side.logFormat == .json ? Logger(label: "tally.serve") : nil
        let progress = ProgressReporter(enabled: true, lang: lang, logger: notices)
        let signals = SignalWaiter()
        let target = try DatabaseTarget.open(settings, progress: progress, mayCreate: true)
        var logger = Logger(label: "tally.server")
        logger.logLevel = verbose ? .debug : .info
        var configuration = TallyServerConfiguration(database: target.configuration)
        if target.embedded != nil {
            // The embedded cluster's superuser migrates; the server itself runs as the runtime role.
            configuration.owner = target.configuration
            configuration.database = try target.configuration.user(RuntimeRole.defaultName)
        }
        configuration.host = address.host
        configuration.port = address.port
        configuration.poolSize = poolSize
        configuration.pinnedNow = pinNow.flatMap(AsOfDate.parse)
        configuration.tls = tls.configuration
        configuration.allowsPlaintextBeyondLoopback = tls.insecurePlaintext
        configuration.lateDeliveryGrace = TimeInterval(max(0, lateGraceDays)) * 86_400
        configuration.warningRules = warn.rules
        let server = TallyServer(configuration: configuration, logger: logger)
        let port: Int
        do {
            port = try await server.start()
        } catch let error as RPCSetupError {
            target.close(progress: progress)
            if error.message.hasPrefix("refusing to listen") {
                throw CLIError(.usage, lang.pick(
                    zh: "拒绝在非本机地址上以明文监听 \(listen)：请使用 --tls-cert 与 --tls-key，或明确指定 --insecure-plaintext",
                    en: "\(error.message): use --tls-cert FILE --tls-key FILE, or --insecure-plaintext"))
            }
            throw CLIError(.cannotListen, lang.pick(zh: "无法监听 \(address)：\(error)", en: "cannot listen on \(address): \(error)"))
        } catch {
            target.close(progress: progress)
            throw CLIError(.database, lang.pick(zh: "服务启动失败：\(error)", en: "cannot start the server: \(error)"))
        }
        let bound = ServerEndpoint(address: ServerAddress(host: address.host, port: port), usesTLS: tls.configuration != nil)
        let web: (HTTPSideDoor, ServerAddress)?
        do {
            web = try await side.startSideDoor(server, tls: tls, logger: logger, lang: lang)
        } catch {
            await server.shutdown()
            target.close(progress: progress)
            throw error
        }
        printWelcome(bound: bound, target: target, settings: settings, lang: lang, notices: notices)
        if let web {
            let url = "\(web.0.usesTLS ? "https" : "http")://\(web.1)/"
            Console.out(lang.pick(zh: "网页大屏：\(url)", en: "web dashboard: \(url)"))
        }
        let hangup = tls.configuration == nil ? nil : HangupHandler {
            do {
                try server.reloadTLS()
                try web?.0.reloadTLS()
                Self.notice(lang.pick(zh: "已重新加载 TLS 证书。", en: "TLS certificate reloaded."), to: notices)
            } catch {
                Self.notice(lang.pick(zh: "TLS 证书重新加载失败（继续使用旧证书）：\(error)",
                                      en: "TLS reload failed (the previous certificate stays in use): \(error)"),
                            level: .warning, to: notices)
            }
        }
        let signal = await signals.wait()
        hangup?.cancel()
        Self.notice(lang.pick(zh: "收到信号 \(signal)，正在停止…", en: "signal \(signal) received, stopping…"), to: notices)
        await web?.0.shutdown()
        await server.shutdown()
        target.close(progress: progress)
        Self.notice(lang.pick(zh: "已停止。", en: "stopped."), to: notices)
    }

    /// A line for the operator on standard error: plain text, or with `--log-format json` a log
    /// event (`notices`), so that every line there is a JSON object for the collector.
    private static func notice(_ text: String, level: Logger.Level = .info, to notices: Logger?) {
        if let notices { notices.log(level: level, "\(text)") } else { Console.err(text) }
    }

    private func printWelcome(bound: ServerEndpoint, target: DatabaseTarget, settings: Settings, lang: Language,
                              notices: Logger?) {
        let config = global.config.map { " --config \($0)" } ?? ""
        let database = db.database.map { " --database '\(DatabaseTarget.redacted($0))'" }
            ?? (db.home != nil ? target.embedded.map { " --home '\($0.home)'" } : nil) ?? ""
        var server = bound.description == "127.0.0.1:7411" ? "" : " --server \(bound)"
        if bound.usesTLS { server += " --ca CA.pem" }
        Console.out(lang.pick(zh: "Tally 服务已启动，监听 \(bound)", en: "Tally is listening on \(bound)"))
        if tls.insecurePlaintext {
            Self.notice(lang.pick(zh: "警告：以明文监听（--insecure-plaintext），令牌与数据在网络上不加密。",
                                  en: "WARNING: serving plaintext (--insecure-plaintext): tokens and data cross the network unencrypted."),
                        level: .warning, to: notices)
        }
        Console.out(lang.pick(zh: "数据库：\(target.displayName)", en: "database: \(target.displayName)"))
        Console.out(lang.pick(zh: "下一步（另开一个终端）：", en: "Next (in another terminal):"))
        Console.out("  tally credential create\(config)\(database) --name central --role central")
        Console.out("  tally dashboard\(server) --token TOKEN")
        Console.out(lang.pick(zh: "按 Ctrl-C 停止。", en: "Press Ctrl-C to stop."))
    }
}
