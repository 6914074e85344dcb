extension ClientConfiguration {
    /// True when the host resolves (as a client would) to at least one address that is not loopback;
    /// false for loopback-only hosts and for names that do not resolve.
    public var resolvesBeyondLoopback: Bool {
        guard let addresses = try? SocketAddress.resolve(host: host, port: port, passive: false) else { return false }
        return addresses.contains { !$0.isLoopback }
    }
}
