/// Where an ``RPCServer`` listens and the limits it enforces. Defaults follow the protocol's defaults.
public struct ServerConfiguration: Sendable {
    /// Host or address to bind: "127.0.0.1", "::1", "0.0.0.0", "::", or a name like "localhost".
    public var host: String = "127.0.0.1"
    /// TCP port; 0 picks an ephemeral port (``RPCServer/start()`` returns it).
    public var port: Int = 7411
    /// Connections over this number are refused with GOAWAY RESOURCE_EXHAUSTED after the handshake.
    public var maxConnections: Int = 1024
    /// Open connections above which a warning is logged (once per crossing); nil: 80 % of `maxConnections`.
    public var connectionWarningThreshold: Int?
    /// Largest frame payload accepted, advertised in HELLO.
    public var maxFrameSize: Int = 1 << 20
    /// Most calls a connection may have open at once, advertised in HELLO.
    public var maxConcurrentCalls: Int = 100
    /// Time a new connection has to send its preface and HELLO.
    public var handshakeTimeout: Duration = .seconds(10)
    /// A connection with no open call for this long is closed with GOAWAY "idle timeout".
    public var idleTimeout: Duration = .seconds(300)
    /// How long calls in flight may run after a graceful shutdown begins.
    public var shutdownGracePeriod: Duration = .seconds(10)
    /// Our name in HELLO, for the peer's logs.
    public var peerName: String = "tally-server/1.0"
    /// Outbound bytes per connection above which handlers' `send` suspends and input is not read.
    public var outboundHighWatermark: Int = 4 << 20
    /// Outbound bytes per connection below which suspended senders resume.
    public var outboundLowWatermark: Int = 1 << 20
    /// TLS on every connection (the preface and HELLO run inside it); nil serves plaintext.
    public var tls: TLSServerConfiguration?
    /// Serve plaintext on an address other than loopback. Off by default: ``RPCServer/start()`` then
    /// refuses, since bearer tokens would cross the network in clear. When on, every Health/Check
    /// answer carries the metadata ``insecureTransportMetadata``.
    public var allowsPlaintextBeyondLoopback = false

    /// The Health/Check status metadata of a server serving plaintext beyond loopback.
    public static let insecureTransportMetadata = ["transport-security": "insecure-plaintext"]

    public init(host: String = "127.0.0.1", port: Int = 7411) {
        self.host = host
        self.port = port
    }

    /// The count at which ``ConnectionCountWarning`` speaks up.
    var effectiveConnectionWarningThreshold: Int {
        connectionWarningThreshold ?? maxConnections * 8 / 10
    }

    var limits: ConnectionLimits {
        ConnectionLimits(maxFrameSize: maxFrameSize, maxConcurrentCalls: maxConcurrentCalls)
    }
}

extension Duration {
    /// This duration as a Dispatch interval (microsecond precision).
    var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        let micros = seconds.multipliedReportingOverflow(by: 1_000_000)
        guard !micros.overflow else { return .never }
        return .microseconds(Int(clamping: micros.partialValue + attoseconds / 1_000_000_000_000))
    }

    /// This duration in whole milliseconds, at least 1 when positive.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        let ms = seconds &* 1000 &+ attoseconds / 1_000_000_000_000_000
        return ms == 0 && attoseconds > 0 ? 1 : ms
    }
}

import Dispatch
