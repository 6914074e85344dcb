import ArgumentParser

/// `tally config`: shows the settings in effect and where each comes from.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the settings in effect and where each one comes from (token hidden).",
        discussion: """
        Precedence: flag > environment > config file > default.

        Example:
          TALLY_SERVER=10.0.0.5:7411 tally config --config deploy/tally.conf.example
        """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try connection.global.settings(server: connection.server, token: connection.token, database: db.database, home: db.home)
        func line(_ key: String, _ setting: Setting, secret: Bool = false) -> String {
            var value = setting.value ?? "-"
            if secret, let token = setting.value { value = token.count > 6 ? String(token.prefix(4)) + "…" : "***" }
            if key == "database", let url = setting.value { value = DatabaseTarget.redacted(url) }
            return "\(key) = \(value)    (\(setting.source.rawValue))"
        }
        Console.out(line("server", settings.server))
        Console.out(line("token", settings.token, secret: true))
        Console.out(line("database", settings.database))
        Console.out(line("lang", settings.lang))
        Console.out(line("home", settings.home))
        let tls = connection.tls
        for (key, flag, setting) in [("ca", tls.ca, settings.ca), ("cert", tls.cert, settings.cert), ("key", tls.key, settings.key)] {
            Console.out(line(key, flag.map { Setting(value: $0, source: .flag) } ?? setting))
        }
        Console.out("file = \(settings.file?.path ?? "-")")
    }
}
