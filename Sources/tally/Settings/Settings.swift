import Foundation
import TallyPresentation

/// Where a setting's value came from, for `tally config`.
enum SettingSource: String, Sendable {
    case flag, environment, file, defaultValue = "default"
}

/// One resolved setting.
struct Setting: Sendable, Equatable {
    var value: String?
    var source: SettingSource
}

/// The settings of one invocation, resolved with precedence flag > environment > file > default.
/// Only this type reads the environment (passed in, so tests can give their own).
struct Settings: Sendable {
    var server: Setting
    var token: Setting
    var database: Setting
    var lang: Setting
    var home: Setting
    var file: ConfigFile?

    /// Resolves the settings from flags, an environment and an optional config file.
    static func resolve(flags: [String: String?], environment: [String: String], file: ConfigFile?) -> Settings {
        func pick(_ key: String, env: String, fallback: String?) -> Setting {
            if let value = flags[key] ?? nil, !value.isEmpty { return Setting(value: value, source: .flag) }
            if let value = environment[env], !value.isEmpty { return Setting(value: value, source: .environment) }
            if let value = file?.values[key], !value.isEmpty { return Setting(value: value, source: .file) }
            return Setting(value: fallback, source: .defaultValue)
        }
        return Settings(
            server: pick("server", env: "TALLY_SERVER", fallback: "127.0.0.1:7411"),
            token: pick("token", env: "TALLY_TOKEN", fallback: nil),
            database: pick("database", env: "TALLY_DATABASE_URL", fallback: nil),
            lang: pick("lang", env: "TALLY_LANG", fallback: "zh"),
            home: pick("home", env: "TALLY_HOME", fallback: defaultHome(environment)),
            file: file)
    }

    /// The embedded cluster's default home, the same from every directory: `$XDG_DATA_HOME/tally`,
    /// else `~/.local/share/tally` (the XDG base-directory default).
    static func defaultHome(_ environment: [String: String]) -> String {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/tally" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/tally"
    }

    /// The language of output; an unknown code falls back to Chinese.
    var language: Language { lang.value.flatMap { Language(code: $0) } ?? .zh }
}
