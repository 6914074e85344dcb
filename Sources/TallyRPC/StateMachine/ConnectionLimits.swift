import TallyWire

/// Protocol limits a side advertises in HELLO and enforces on what it receives.
struct ConnectionLimits: Hashable, Sendable {
    /// Default maximum frame payload, 1 MiB.
    static let defaultMaxFrameSize = 1 << 20
    /// Default maximum of concurrently open calls per connection.
    static let defaultMaxConcurrentCalls = 100

    var maxFrameSize: Int = defaultMaxFrameSize
    var maxConcurrentCalls: Int = defaultMaxConcurrentCalls

    /// The limits a peer announced in its HELLO (0 meaning the default).
    init(hello: Tally_Wire_V1_Hello) {
        maxFrameSize = hello.maxFrameSize == 0 ? Self.defaultMaxFrameSize : Int(hello.maxFrameSize)
        maxConcurrentCalls =
            hello.maxConcurrentCalls == 0 ? Self.defaultMaxConcurrentCalls : Int(hello.maxConcurrentCalls)
    }

    init(maxFrameSize: Int = defaultMaxFrameSize, maxConcurrentCalls: Int = defaultMaxConcurrentCalls) {
        self.maxFrameSize = maxFrameSize
        self.maxConcurrentCalls = maxConcurrentCalls
    }

    /// The HELLO that advertises these limits.
    func hello(peerName: String) -> Tally_Wire_V1_Hello {
        var hello = Tally_Wire_V1_Hello()
        hello.protocolVersion = Preface.protocolVersion
        hello.peerName = peerName
        hello.maxFrameSize = UInt32(clamping: maxFrameSize)
        hello.maxConcurrentCalls = UInt32(clamping: maxConcurrentCalls)
        return hello
    }
}

/// A connection-level failure: reported in a GOAWAY (code, message) before closing.
struct ConnectionError: Error, Hashable, Sendable {
    var code: StatusCode
    var message: String

    init(_ code: StatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    init(_ error: WireError) {
        self.code = error.goAwayCode
        self.message = error.description
    }

    static func violation(_ what: String) -> ConnectionError {
        ConnectionError(.invalidArgument, "protocol violation: \(what)")
    }
}
