import ArgumentParser
import Foundation
import TallyPresentation

/// Flags every command takes: the settings file and the language.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Settings file of `key = value` lines (default ./tally.conf, then ~/.config/tally/config).")
    var config: String?

    @Option(name: .long, help: "Language of labels and messages: zh (default) or en. Env: TALLY_LANG.")
    var lang: String?

    /// Resolves the settings of this invocation with the given command-specific flags.
    func settings(server: String? = nil, token: String? = nil, database: String? = nil, home: String? = nil) throws -> Settings {
        let environment = ProcessInfo.processInfo.environment
        let file = try ConfigFile.load(explicit: config, environment: environment)
        let settings = Settings.resolve(
            flags: ["server": server, "token": token, "database": database, "lang": lang, "home": home],
            environment: environment, file: file)
        if let code = settings.lang.value, Language(code: code) == nil {
            throw CLIError(.usage, "unknown language `\(code)` (use zh or en)")
        }
        return settings
    }
}
