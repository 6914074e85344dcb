import Foundation

/// A server as users name it: `tallys://host:port` for TLS, `tally://host:port` or plain `host:port`
/// for plaintext (loopback only when a token is sent). The one convention of README, help and config.
public struct ServerEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The URL scheme of a TLS server.
    public static let tlsScheme = "tallys://"
    /// The URL scheme of a plaintext server (optional: a bare `host:port` means the same).
    public static let plaintextScheme = "tally://"

    /// Host and port.
    public var address: ServerAddress
    /// True for `tallys://`.
    public var usesTLS: Bool

    public init(address: ServerAddress, usesTLS: Bool) {
        self.address = address
        self.usesTLS = usesTLS
    }

    /// Parses `tallys://host:port`, `tally://host:port` or `host:port` (see ``ServerAddress``); nil when malformed.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var rest = Substring(trimmed)
        var tls = false
        if trimmed.lowercased().hasPrefix(Self.tlsScheme) {
            rest = rest.dropFirst(Self.tlsScheme.count)
            tls = true
        } else if trimmed.lowercased().hasPrefix(Self.plaintextScheme) {
            rest = rest.dropFirst(Self.plaintextScheme.count)
        } else if trimmed.contains("://") {
            return nil
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let address = ServerAddress(parsing: String(rest)) else { return nil }
        self.init(address: address, usesTLS: tls)
    }

    /// `tallys://host:port` or `host:port`.
    public var description: String { usesTLS ? Self.tlsScheme + address.description : address.description }
}
