import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 exchange over a plain socket (body read to its Content-Length), run on a
/// Dispatch queue. For chromedriver, whose replies ("Content-Length:918", no space) URLSession on
/// Linux refuses.
enum PlainHTTP {
    enum Failure: Error { case closedEarly, timedOut }

    static func exchange(port: Int, method: String, path: String, body: Data?, timeout: Int = 60) async throws -> (status: Int, body: Data) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try blockingExchange(port: port, method: method, path: path, body: body, timeout: timeout) })
            }
        }
    }

    private static func blockingExchange(port: Int, method: String, path: String, body: Data?, timeout: Int) throws -> (status: Int, body: Data) {
        let fd = try LoopbackSocket.connect(port: port, timeout: timeout)
        defer { close(fd) }
        let payload = body ?? Data()
        var request = Data("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n".utf8)
        if body != nil { request += Data("Content-Type: application/json\r\n".utf8) }
        request += Data("Content-Length: \(payload.count)\r\n\r\n".utf8) + payload
        var sent = 0
        while sent < request.count {
            let count = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, request.count - sent, 0) }
            guard count > 0 else { throw Failure.closedEarly }
            sent += count
        }
        var reply = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var expected: Int?
        var headEnd: Range<Data.Index>?
        // Read the head, then the body to its Content-Length (chromedriver keeps the connection open).
        while headEnd == nil || reply.count - headEnd!.upperBound < (expected ?? Int.max) {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count == 0 { break }
            if count < 0 { throw Failure.timedOut }
            reply.append(contentsOf: chunk[..<count])
            if headEnd == nil, let found = reply.range(of: Data("\r\n\r\n".utf8)) {
                headEnd = found
                let head = String(decoding: reply[..<found.lowerBound], as: UTF8.self)
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    expected = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
                }
            }
        }
        guard let split = headEnd else { throw Failure.closedEarly }
        let head = String(decoding: reply[..<split.lowerBound], as: UTF8.self)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, Data(reply[split.upperBound...]))
    }
}
