/// A server's host and port, parsed from the "host:port" form users type
/// (`127.0.0.1:7411`, `tally.example:7411`, `[::1]:7411`; a bare host means port 7411).
public struct ServerAddress: Sendable, Hashable, CustomStringConvertible {
    /// The port Tally listens on unless told otherwise.
    public static let defaultPort = 7411

    public var host: String
    public var port: Int

    /// Makes an address from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses "host:port", "host", "[v6]:port" or ":port" (host 127.0.0.1); nil when malformed.
    public init?(parsing text: String, defaultPort: Int = ServerAddress.defaultPort) {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            host = Substring(text)   // a bare IPv6 address or a host name
        }
        if host.isEmpty { host = "127.0.0.1" }
        var port = defaultPort
        if let portText {
            guard let value = Int(portText), (0...65535).contains(value) else { return nil }
            port = value
        }
        self.init(host: String(host), port: port)
    }

    /// "host:port", with brackets around an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
