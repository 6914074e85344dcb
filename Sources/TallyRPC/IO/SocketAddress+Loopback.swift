#if canImport(Glibc)
import Glibc
#endif

extension SocketAddress {
    /// True for 127.0.0.0/8, ::1 and IPv4-mapped loopback: traffic that never leaves this host.
    var isLoopback: Bool {
        var copy = storage
        return withUnsafeBytes(of: &copy) { raw -> Bool in
            switch family {
            case AF_INET:
                let address = raw.load(as: sockaddr_in.self)
                return UInt32(bigEndian: address.sin_addr.s_addr) >> 24 == 127
            case AF_INET6:
                let address = raw.load(as: sockaddr_in6.self)
                let bytes = withUnsafeBytes(of: address.sin6_addr) { Array($0) }
                if bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
                return bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] && bytes[12] == 127
            default:
                return false
            }
        }
    }
}
