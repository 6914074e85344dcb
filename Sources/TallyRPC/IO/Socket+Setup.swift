#if canImport(Glibc)
import Glibc
#endif

/// Creating listening and connecting sockets (all non-blocking and close-on-exec).
enum SocketSetup {
    /// A socket bound to `address` and listening. `v6Only` keeps an IPv6 socket off IPv4 (when both are bound).
    static func listen(on address: SocketAddress, v6Only: Bool, backlog: Int32 = 1024) throws(SystemError) -> Int32 {
        let fd = try Syscall.blocking("socket") {
            socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        }
        do throws(SystemError) {
            try Syscall.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            if address.family == AF_INET6 && v6Only {
                try Syscall.setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1)
            }
            try Syscall.setNonBlocking(fd)
            try Syscall.blocking("bind") { address.withSockAddr { bind(fd, $0, $1) } }
            try Syscall.blocking("listen") { Glibc.listen(fd, backlog) }
            return fd
        } catch {
            Syscall.close(fd)
            throw error
        }
    }

    /// Starts a non-blocking connect; `connected` is true when it completed at once.
    static func connect(to address: SocketAddress) throws(SystemError) -> (fd: Int32, connected: Bool) {
        let fd = try Syscall.blocking("socket") {
            socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        }
        do throws(SystemError) {
            try Syscall.setNonBlocking(fd)
            try Syscall.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            let result = try Syscall.call("connect", wouldBlockOK: true) {
                address.withSockAddr { Glibc.connect(fd, $0, $1) }
            }
            if case .processed = result { return (fd, true) }
            return (fd, false)
        } catch {
            Syscall.close(fd)
            throw error
        }
    }
}
