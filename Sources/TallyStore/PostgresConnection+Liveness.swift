internal import CLibPQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension PostgresConnection {
    /// Whether an idle connection is still usable, found without sending anything: the server's
    /// end may have closed while the connection sat in a pool (a restart, a failover,
    /// `pg_terminate_backend`), and libpq notices that only on the next call, which would then fail
    /// with the statement already sent.
    ///
    /// Peeks at the socket without blocking: end of file or an error means dead; bytes waiting on
    /// an idle session (typically the FATAL message a terminated backend sends before closing) are
    /// handed to libpq, which marks the connection bad when they end the session. Call it only
    /// between statements.
    public func isAliveWhileIdle() -> Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return false }
        // PQsocket: the descriptor, -1 when there is no open connection.
        let socket = PQsocket(handle)
        guard socket >= 0 else { return false }
        for _ in 0..<8 {  // a few rounds: a FATAL message may be followed by the end of file
            var byte: UInt8 = 0
            // recv with MSG_PEEK | MSG_DONTWAIT: >0 bytes are waiting (left in the socket), 0 the
            // peer closed, -1 with EAGAIN/EWOULDBLOCK nothing waiting (alive), EINTR retry, any other
            // errno (ECONNRESET...) dead.
            let peeked = recv(socket, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
            if peeked == 0 { return false }
            if peeked < 0 {
                let code = errno
                if code == EINTR { continue }
                return (code == EAGAIN || code == EWOULDBLOCK) && PQstatus(handle) == CONNECTION_OK
            }
            // PQconsumeInput: 1 after reading what is there (possibly marking the connection bad on
            // a FATAL error or end of file), 0 on a read failure, i.e. the connection broke.
            guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else { return false }
        }
        return PQstatus(handle) == CONNECTION_OK
    }
}
