import Foundation

/// A settings file of `key = value` lines (`#` starts a comment); keys: server, token, database, lang, home.
struct ConfigFile: Sendable, Equatable {
    static let keys: Set<String> = ["server", "token", "database", "lang", "home"]

    var path: String
    var values: [String: String]

    /// Parses the text of a file; an unknown key or a line without "=" is an error naming the line.
    static func parse(_ text: String, path: String) throws(CLIError) -> ConfigFile {
        var values: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw CLIError(.usage, "\(path):\(index + 1): expected `key = value`")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard keys.contains(key) else {
                throw CLIError(.usage, "\(path):\(index + 1): unknown key `\(key)` (known: \(keys.sorted().joined(separator: ", ")))")
            }
            values[key] = value
        }
        return ConfigFile(path: path, values: values)
    }

    /// Loads `--config FILE` (which must exist), else ./tally.conf, else ~/.config/tally/config; nil when none.
    static func load(explicit: String?, environment: [String: String]) throws(CLIError) -> ConfigFile? {
        var candidates: [String] = []
        if let explicit {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw CLIError(.usage, "config file not found: \(explicit)")
            }
            candidates = [explicit]
        } else {
            candidates.append("tally.conf")
            let configHome = environment["XDG_CONFIG_HOME"] ?? (environment["HOME"].map { $0 + "/.config" })
            if let configHome { candidates.append(configHome + "/tally/config") }
        }
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw CLIError(.usage, "cannot read config file \(path)")
            }
            return try parse(text, path: path)
        }
        return nil
    }
}
