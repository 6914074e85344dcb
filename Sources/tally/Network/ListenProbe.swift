import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Checks, before `tally serve` touches any database, that its listen address resolves and can be
/// bound: a port in use must not first create, migrate and seed a cluster and then fail.
/// The socket is bound and closed at once (SO_REUSEADDR, as the server binds it); the server binds
/// for real a moment later.
enum ListenProbe {
    /// nil when `host:port` can be bound, else why not ("address already in use").
    static func problem(host: String, port: Int) -> String? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        // getaddrinfo: 0, or an EAI_* code that gai_strerror describes.
        let code = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &list)
        guard code == 0, let first = list else {
            return "cannot resolve \(host): " + (gai_strerror(code).map { String(cString: $0) } ?? "error \(code)")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            node = current.pointee.ai_next
            // socket: -1 with errno on failure (EAFNOSUPPORT on a host without IPv6: try the next).
            let fd = socket(current.pointee.ai_family, current.pointee.ai_socktype, current.pointee.ai_protocol)
            guard fd >= 0 else { lastError = String(cString: strerror(errno)); continue }
            defer { close(fd) }
            var one: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            // bind: EADDRINUSE when another process listens there, EACCES below 1024, EADDRNOTAVAIL
            // for an address this host does not have.
            if bind(fd, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 { return nil }
            lastError = String(cString: strerror(errno)).lowercased()
        }
        return lastError
    }
}
