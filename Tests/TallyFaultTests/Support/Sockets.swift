import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Small blocking-socket helpers for tests (loopback only).
enum Sockets {
    /// A TCP connection to 127.0.0.1:port, or -1.
    /// `source`, e.g. "127.0.0.7", binds the local end first so the server sees another peer.
    static func connect(port: Int, source: String? = nil) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        if let source {
            var local = loopback(port: 0)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound != 0 {
                Glibc.close(fd)
                return -1
            }
        }
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            Glibc.close(fd)
            return -1
        }
        return fd
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Writes all bytes; false when the peer is gone.
    @discardableResult
    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    /// Reads what arrives within `timeout`, until EOF or error; `closed` tells whether the peer closed.
    static func drain(_ fd: Int32, timeout: Double) -> (bytes: [UInt8], closed: Bool) {
        var out: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return (out, false) }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(1, left * 1000)))
            if ready <= 0 { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return (out, true) }
            out.append(contentsOf: buffer[0..<count])
        }
    }
}

/// A TCP proxy on loopback whose connections a test can cut at will (RST-like: both sides shut down).
final class TCPProxy: Sendable {
    let port: Int
    private let listener: Int32
    private let upstreamPort: Int
    private struct State {
        var pairs: [(client: Int32, upstream: Int32)] = []
        var closed = false
        var accepted = 0
        var holdingAnswers = false
        var proxied = 0
    }

    private let state = Mutex(State())

    /// When set, each upstream connection comes from its own address 127.0.0.(sourceBase + n), so
    /// the server sees a different peer per connection.
    private let sourceBase: Int?

    init(upstreamPort: Int, sourceBase: Int? = nil) throws {
        self.upstreamPort = upstreamPort
        self.sourceBase = sourceBase
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Sockets.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw NSError(domain: "TCPProxy", code: Int(errno)) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if state.withLock({ $0.closed }) { return }
                continue
            }
            let accepted = state.withLock { state in
                state.accepted += 1
                return state.accepted
            }
            let source = sourceBase.map { "127.0.\(($0 + accepted) / 250).\(($0 + accepted) % 250 + 2)" }
            let upstream = Sockets.connect(port: upstreamPort, source: source)
            guard upstream >= 0 else {
                Glibc.close(client)
                continue
            }
            state.withLock {
                $0.pairs.append((client, upstream))
                $0.proxied += 1
            }
            let done = DispatchGroup()
            for (from, to, answers) in [(client, upstream, false), (upstream, client, true)] {
                done.enter()
                Thread { [self] in
                    pump(from, to, answers: answers)
                    done.leave()
                }.start()
            }
            done.notify(queue: .global()) { [self] in
                state.withLock { $0.pairs.removeAll { $0.client == client } }
                Glibc.close(client)
                Glibc.close(upstream)
            }
        }
    }

    private func pump(_ from: Int32, _ to: Int32, answers: Bool) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            if answers && state.withLock({ $0.holdingAnswers }) { continue }
            if !Sockets.send(to, Array(buffer[0..<count])) { break }
        }
        shutdown(from, Int32(SHUT_RDWR))
        shutdown(to, Int32(SHUT_RDWR))
    }

    /// While set, what the server sends is read and dropped: its answers never arrive, as when it
    /// dies after committing a write and before the answer leaves.
    func holdAnswers(_ hold: Bool) {
        state.withLock { $0.holdingAnswers = hold }
    }

    /// How many connections have been proxied to the upstream so far (cut ones included).
    var proxiedCount: Int { state.withLock { $0.proxied } }

    /// Cuts every connection through the proxy; returns how many there were.
    @discardableResult
    func cutAll() -> Int {
        state.withLock { state in
            for pair in state.pairs {
                shutdown(pair.client, Int32(SHUT_RDWR))
                shutdown(pair.upstream, Int32(SHUT_RDWR))
            }
            return state.pairs.count
        }
    }

    func close() {
        state.withLock { $0.closed = true }
        shutdown(listener, Int32(SHUT_RDWR))
        cutAll()
    }
}
