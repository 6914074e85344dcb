/// Where an ``RPCClient`` connects and how it keeps the connection alive and reconnects.
public struct ClientConfiguration: Sendable {
    /// Server host: a name, an IPv4 or an IPv6 literal.
    public var host: String
    /// Server port.
    public var port: Int
    /// Our name in HELLO, for the server's logs.
    public var peerName: String = "tally-client/1.0"
    /// How long a TCP connect may take before the attempt fails.
    public var connectTimeout: Duration = .seconds(5)
    /// With calls open and nothing received for this long, the client sends a PING.
    public var keepaliveInterval: Duration = .seconds(30)
    /// A PING not answered within this time means the connection is dead (calls fail UNAVAILABLE).
    public var keepaliveTimeout: Duration = .seconds(10)
    /// First delay before reconnecting after a failed connection; doubles per failure.
    public var reconnectBackoffInitial: Duration = .milliseconds(50)
    /// Cap of the reconnect delay.
    public var reconnectBackoffMax: Duration = .seconds(5)
    /// Largest frame payload we accept, advertised in HELLO.
    public var maxFrameSize: Int = 1 << 20
    /// Outbound bytes above which a client-streaming `send` waits.
    public var outboundHighWatermark: Int = 4 << 20
    /// Outbound bytes below which waiting senders resume.
    public var outboundLowWatermark: Int = 1 << 20
    /// Bytes of one server stream's responses not yet taken by its consumer above which the connection
    /// stops reading its socket (TCP then holds the server back).
    public var inboundHighWatermark: Int = 4 << 20
    /// Buffered response bytes below which reading resumes.
    public var inboundLowWatermark: Int = 1 << 20

    public init(host: String = "127.0.0.1", port: Int = 7411) {
        self.host = host
        self.port = port
    }

    /// The reconnect delay after `failures` consecutive failed connections (0 → connect at once).
    func backoff(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = reconnectBackoffInitial
        for _ in 1..<min(failures, 30) {
            delay *= 2
            if delay >= reconnectBackoffMax { return reconnectBackoffMax }
        }
        return min(delay, reconnectBackoffMax)
    }
}
