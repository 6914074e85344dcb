import Foundation
import Glibc
import SwiftProtobuf
import TallyMessages
import TallyWire

/// A watcher that reads slowly, spoken over a raw socket so that nothing buffers on our side: it
/// opens `/tally.bench.v1.Bench/Stream` for a huge count and then reads 4 KiB every 10 ms
/// (about 400 KB/s), so the server's output backs up and its flow control must hold.
enum SlowReader {
    struct Result: Sendable {
        var bytesRead: Int
        var error: String?
    }

    /// Reads slowly for `seconds` on a thread of its own, then closes the connection.
    static func run(port: Int, seconds: Double) async -> Result {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: read(port: port, seconds: seconds))
            }
        }
    }

    private static func read(port: Int, seconds: Double) -> Result {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return Result(bytesRead: 0, error: "socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return Result(bytesRead: 0, error: "connect: errno \(errno)") }
        // A small receive buffer, so that the kernel does not absorb the backlog for us.
        var size: Int32 = 16 * 1024
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        do {
            try writeAll(fd, opening())
        } catch {
            return Result(bytesRead: 0, error: "\(error)")
        }
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Monotonic.nanos() + UInt64(seconds * 1e9)
        while Monotonic.nanos() < deadline {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { return Result(bytesRead: total, error: count == 0 ? "server closed" : "recv: errno \(errno)") }
            total += count
            usleep(10_000)
        }
        return Result(bytesRead: total)
    }

    /// Preface, HELLO, CALL and the request MESSAGE with END_STREAM.
    private static func opening() throws -> [UInt8] {
        var hello = Tally_Wire_V1_Hello()
        hello.protocolVersion = Preface.protocolVersion
        hello.peerName = "tally-bench-slow-reader/1"
        var header = Tally_Wire_V1_CallHeader()
        header.method = Tally_Bench_V1_Bench.Method.stream.path
        var request = Google_Protobuf_UInt64Value()
        request.value = 100_000_000
        var bytes = Preface.bytes
        FrameEncoder.append(Frame(type: .hello, stream: 0, payload: try hello.serializedBytes()), to: &bytes)
        FrameEncoder.append(Frame(type: .call, stream: 1, payload: try header.serializedBytes()), to: &bytes)
        FrameEncoder.append(Frame(type: .message, flags: .endStream, stream: 1, payload: try request.serializedBytes()),
                            to: &bytes)
        return bytes
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw BenchError("send: errno \(errno)") }
            offset += written
        }
    }
}
