import XCTest
@testable import TallyRPC
import TallyWire
#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback socket for speaking (or misbehaving) at the byte level in tests.
final class RawSocket {
    let fd: Int32
    private var closed = false

    init(port: Int, receiveBufferSize: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SystemError(call: "socket", errno: errno) }
        if var size = receiveBufferSize {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let code = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard code == 0 else {
            Glibc.close(fd)
            throw SystemError(call: "connect", errno: errno)
        }
    }

    deinit { close() }

    /// Closes the socket (once).
    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until EOF, error or the 5 s receive timeout. `eof` tells whether the server closed.
    func readAll() -> (bytes: [UInt8], eof: Bool) {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                result += buffer[0..<count]
            } else {
                return (result, count == 0)
            }
        }
    }

    /// Reads frames until one of `type` arrives (or EOF/timeout); returns everything decoded.
    func readFrames(until type: FrameType) -> [Frame] {
        var decoder = FrameDecoder(maxFrameSize: 1 << 30)
        var frames: [Frame] = []
        var skippedPreface = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return frames }
            decoder.append(buffer[0..<count])
            if !skippedPreface {
                guard decoder.takeBytes(Preface.count) != nil else { continue }
                skippedPreface = true
            }
            while let frame = try? decoder.next() {
                frames.append(frame)
                if frame.type == type { return frames }
            }
        }
    }
}
