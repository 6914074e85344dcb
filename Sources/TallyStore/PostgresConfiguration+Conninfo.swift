internal import CLibPQ
import Foundation

extension PostgresConfiguration {
    /// The conninfo as libpq understands it: the keywords that have a value, in libpq's order.
    /// Throws `.connectionFailed` with libpq's message when the string cannot be parsed.
    func parsedOptions() throws(StoreError) -> [(keyword: String, value: String)] {
        var errorMessage: UnsafeMutablePointer<CChar>?
        // PQconninfoParse: returns a malloc'd option array (freed with PQconninfoFree) or NULL on a
        // syntax error, with errmsg set to a message we must PQfreemem (NULL when out of memory).
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            var text = "invalid connection string"
            if let errorMessage {
                text += ": " + String(cString: errorMessage).trimmingCharacters(in: .whitespacesAndNewlines)
                PQfreemem(errorMessage)
            }
            throw StoreError(kind: .connectionFailed, text)
        }
        defer { PQconninfoFree(options) }
        var result: [(keyword: String, value: String)] = []
        var cursor = options
        while let keyword = cursor.pointee.keyword {
            if let value = cursor.pointee.val {
                result.append((String(cString: keyword), String(cString: value)))
            }
            cursor += 1
        }
        return result
    }

    /// The password named in the conninfo, if any (used to scrub error messages).
    var password: String? {
        (try? parsedOptions())?.first(where: { $0.keyword == "password" })?.value
    }

    /// The same server and credentials, but database `name` (for tools and tests that create databases).
    public func database(_ name: String) throws(StoreError) -> PostgresConfiguration {
        try replacing(["dbname": name])
    }

    /// The same server and database, connecting as role `name` (with `password`, or none).
    public func user(_ name: String, password: String? = nil) throws(StoreError) -> PostgresConfiguration {
        var values = ["user": name]
        values["password"] = password ?? ""
        return try replacing(values)
    }

    /// The role this conninfo connects as, when it names one.
    public var userName: String? {
        (try? parsedOptions())?.first(where: { $0.keyword == "user" })?.value
    }

    /// The conninfo with the given keywords set (an empty value removes the keyword).
    private func replacing(_ values: [String: String]) throws(StoreError) -> PostgresConfiguration {
        var options = try parsedOptions().filter { values[$0.keyword] == nil }
        for (keyword, value) in values.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            options.append((keyword, value))
        }
        var copy = self
        copy.conninfo = options.map { "\($0.keyword)=\(Self.quote($0.value))" }.joined(separator: " ")
        return copy
    }

    /// The conninfo with any password replaced by `***`.
    public var description: String {
        guard let options = try? parsedOptions() else { return "<unparsable conninfo>" }
        return options.map { option in
            option.keyword == "password" ? "password=***" : "\(option.keyword)=\(Self.quote(option.value))"
        }.joined(separator: " ")
    }

    /// Quotes a conninfo value: single quotes, with `\` and `'` escaped by a backslash.
    static func quote(_ value: String) -> String {
        let plain = !value.isEmpty && !value.contains { $0 == " " || $0 == "'" || $0 == "\\" || $0 == "=" }
        if plain { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return "'\(escaped)'"
    }
}
