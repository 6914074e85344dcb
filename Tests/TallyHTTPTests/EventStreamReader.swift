import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads `/events` over a plain socket, as a browser's EventSource does, event by event (URLSession
/// on Linux hands over a body only when it ends, and an event stream never ends).
final class EventStreamReader {
    struct Event: Equatable {
        var id: Int64
        var name: String
        var data: String
    }

    private let fd: Int32
    private var buffer: [UInt8] = []
    private var headerDone = false
    /// The server ended the response (the last, empty chunk came).
    private(set) var ended = false
    private(set) var status = 0

    init(port: Int, path: String, cookie: String, lastEventID: Int64? = nil) throws {
        fd = try LoopbackSocket.connect(port: port, timeout: 10)
        var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nCookie: \(cookie)\r\n"
        if let lastEventID { head += "Last-Event-ID: \(lastEventID)\r\n" }
        head += "\r\n"
        _ = head.withCString { send(fd, $0, strlen($0), 0) }
    }

    deinit { close(fd) }

    enum ReaderError: Error { case closed, timedOut, badResponse(String) }

    /// The next event (comments and `retry:` skipped); throws `closed` when the stream ends, or
    /// after 10 s without one.
    func next() throws -> Event {
        try readHead()
        while true {
            if let event = takeEvent() { return event }
            if ended { throw ReaderError.closed }
            try fill()
            decodeChunks()
        }
    }

    private func readHead() throws {
        guard !headerDone else { return }
        while true {
            if let end = find([13, 10, 13, 10], in: buffer) {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                headerDone = true
                status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
                guard status == 200 else { throw ReaderError.badResponse(head) }
                decodeChunks()
                return
            }
            try fill()
        }
    }

    /// Event-stream text decoded from the chunked body so far.
    private var body: [UInt8] = []

    /// Moves every complete chunk from the raw buffer to `body`.
    private func decodeChunks() {
        while let lineEnd = find([13, 10], in: buffer),
              let size = Int(String(decoding: buffer[..<lineEnd], as: UTF8.self), radix: 16),
              buffer.count >= lineEnd + 2 + size + 2 {
            if size == 0 { ended = true }
            body += buffer[(lineEnd + 2)..<(lineEnd + 2 + size)]
            buffer.removeFirst(lineEnd + 2 + size + 2)
        }
    }

    /// Takes the first complete event with an id out of `body`.
    private func takeEvent() -> Event? {
        while let end = find([10, 10], in: body) {
            let block = String(decoding: body[..<end], as: UTF8.self)
            body.removeFirst(end + 2)
            var event = Event(id: -1, name: "message", data: "")
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { event.id = Int64(line.dropFirst(4)) ?? -1 }
                if line.hasPrefix("event: ") { event.name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { event.data += line.dropFirst(6) }
            }
            if event.id >= 0 { return event }
        }
        return nil
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count == 0 { throw ReaderError.closed }
        if count < 0 { throw ReaderError.timedOut }
        buffer += chunk[..<count]
    }

    private func find(_ pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        for index in 0...(bytes.count - pattern.count) where Array(bytes[index..<index + pattern.count]) == pattern {
            return index
        }
        return nil
    }
}
