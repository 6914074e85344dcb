import Foundation
@testable import TallyRPC
import TallyWire
#if canImport(Glibc)
import Glibc
#endif

/// A fake server that completes the handshake, then records the frame types it receives and never answers.
final class SilentServer: Sendable {
    let listener: Int32
    let port: Int
    let received = LockedValue<[FrameType]>([])

    init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = listener
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && Glibc.listen(fd, 4) == 0
                    && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw SystemError(call: "bind", errno: errno) }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in serve() }
    }

    private func serve() {
        let client = accept(listener, nil, nil)
        guard client >= 0 else { return }
        defer { Glibc.close(client) }
        var decoder = FrameDecoder(maxFrameSize: 1 << 20)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var answered = false
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(client, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            decoder.append(buffer[0..<count])
            if !answered {
                guard decoder.takeBytes(Preface.count) != nil else { continue }
                answered = true
                let handshake = Wire.serverHandshake
                _ = handshake.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
            while let frame = try? decoder.next() {
                received.update { $0.append(frame.type) }
            }
        }
    }

    func close() {
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }
}
