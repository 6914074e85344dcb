#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call: names the call and keeps errno, e.g. "accept: Connection reset by peer (errno 104)".
public struct SystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The system call that failed.
    public var call: String
    /// The errno value right after the call.
    public var errno: Int32

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    public var description: String {
        let text = strerror(errno).map { String(cString: $0) } ?? "unknown error"
        return "\(call): \(text) (errno \(errno))"
    }
}

/// The result of a non-blocking system call: a value, or "would block" (EAGAIN/EWOULDBLOCK/EINPROGRESS).
enum IOResult<Value> {
    case processed(Value)
    case wouldBlock
}

/// The one place that calls the C socket API: reads errno right after the call, retries on EINTR,
/// returns EAGAIN as ``IOResult/wouldBlock`` and throws ``SystemError`` naming the call otherwise.
enum Syscall {
    @inline(__always)
    static func call<T: BinaryInteger>(
        _ name: StaticString, wouldBlockOK: Bool = false, _ body: () -> T
    ) throws(SystemError) -> IOResult<T> {
        while true {
            let result = body()
            if result >= 0 { return .processed(result) }
            let code = Glibc.errno
            if code == EINTR { continue }
            if wouldBlockOK && (code == EAGAIN || code == EWOULDBLOCK || code == EINPROGRESS) {
                return .wouldBlock
            }
            throw SystemError(call: "\(name)", errno: code)
        }
    }

    /// A call that never reports "would block".
    @inline(__always)
    @discardableResult
    static func blocking<T: BinaryInteger>(_ name: StaticString, _ body: () -> T) throws(SystemError) -> T {
        switch try call(name, body) {
        case .processed(let value): return value
        case .wouldBlock: return -1  // unreachable: wouldBlockOK is false
        }
    }

    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        try call("read", wouldBlockOK: true) { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    static func send(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        try call("send", wouldBlockOK: true) {
            Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
        }
    }

    /// Accepts one connection and makes it non-blocking and close-on-exec.
    /// (Glibc's module map does not export accept4, so this is accept plus two fcntl calls.)
    static func accept(_ fd: Int32) throws(SystemError) -> IOResult<Int32> {
        let result = try call("accept", wouldBlockOK: true) { Glibc.accept(fd, nil, nil) }
        guard case .processed(let client) = result else { return result }
        do {
            try setNonBlocking(client)
            try blocking("fcntl") { fcntl(client, F_SETFD, FD_CLOEXEC) }
        } catch {
            close(client)
            throw error
        }
        return result
    }

    static func close(_ fd: Int32) {
        // close is not retried on EINTR on Linux: the descriptor is released either way.
        _ = Glibc.close(fd)
    }

    /// The pending error of a socket (SO_ERROR), e.g. the outcome of a non-blocking connect; 0 if none.
    static func pendingError(_ fd: Int32) throws(SystemError) -> Int32 {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        try blocking("getsockopt") { getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) }
        return code
    }

    /// Shuts down our sending side (the peer reads EOF); ENOTCONN (peer already gone) is ignored.
    static func shutdownOutput(_ fd: Int32) {
        do {
            try blocking("shutdown") { Glibc.shutdown(fd, Int32(SHUT_WR)) }
        } catch {
            // ENOTCONN or similar: the connection is already gone, closing follows anyway.
        }
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws(SystemError) {
        var value = value
        try blocking("setsockopt") {
            setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    static func setNonBlocking(_ fd: Int32) throws(SystemError) {
        let flags = try blocking("fcntl") { fcntl(fd, F_GETFL) }
        try blocking("fcntl") { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }

    /// Ignores SIGPIPE process-wide once, so writes to a closed peer return EPIPE instead of killing us.
    static let ignoreSIGPIPE: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()
}
