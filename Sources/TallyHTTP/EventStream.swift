import Hummingbird
import NIOCore
import ServiceLifecycle
import SwiftProtobuf
import TallyCore
import TallyMessages

/// `/events`: the watch feed as server-sent events. The first event is `snapshot` (the whole
/// dashboard); each committed change follows as a `change` event; every event's `id` is the
/// sequence it brings the page to, so the browser's automatic reconnect (`Last-Event-ID`, or
/// `?after=N`) resumes right after it with nothing lost or doubled. Data is the protobuf JSON mapping
/// of `WatchEvent`'s snapshot or change, on one line. A comment line every 15 s keeps proxies from
/// closing a quiet stream and lets the server notice a browser that has gone.
enum EventStream {
    /// Milliseconds the browser waits before reconnecting after the stream drops.
    static let retryMilliseconds = 1_000
    /// Events queued for one browser before its stream is ended (it then resumes from its last id).
    static let capacity = 4_096

    static func response(_ request: Request, view: OperatorView) -> Response {
        let after = resumePoint(request)
        let feed = view.watchFeed
        var headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
        headers[.init("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let (frames, sink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(capacity))
            let producer = Task {
                _ = try? await feed.run(after: after) { item in
                    guard case .enqueued = sink.yield(try frame(item)) else { throw CancellationError() }
                }
                sink.finish()  // too slow or the server is stopping: the browser resumes from its last id
            }
            let heartbeat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    sink.yield(": keep-alive\n\n")
                }
            }
            defer {
                producer.cancel()
                heartbeat.cancel()
            }
            try await writer.write(ByteBuffer(string: "retry: \(retryMilliseconds)\n\n"))
            // The side door stopping ends the stream cleanly; the browser reconnects elsewhere or later.
            try await withGracefulShutdownHandler {
                for await frame in frames {
                    try await writer.write(ByteBuffer(string: frame))
                }
            } onGracefulShutdown: {
                sink.finish()
            }
            try await writer.finish(nil)
        })
    }

    /// The sequence to resume after: `Last-Event-ID`, else `?after=`, else 0 (start with a snapshot).
    static func resumePoint(_ request: Request) -> Int64 {
        let header = request.headers[.init("Last-Event-ID")!]
        let query = request.uri.queryParameters["after"].map(String.init)
        guard let text = header ?? query, let after = Int64(text.trimmingCharacters(in: .whitespaces)), after > 0 else { return 0 }
        return after
    }

    /// One event in the text/event-stream format.
    static func frame(_ item: WatchFeed.Item) throws -> String {
        let event = try item.event()
        switch event.event {
        case .snapshot(let dashboard):
            return "id: \(item.sequence)\nevent: snapshot\ndata: \(try dashboard.jsonString())\n\n"
        case .change(let change):
            return "id: \(item.sequence)\nevent: change\ndata: \(try change.jsonString())\n\n"
        case .warning(let warning):
            // No id: a warning is not a change-log position, so it never moves the resume point.
            return "event: warning\ndata: \(try warning.jsonString())\n\n"
        case nil:
            return ": empty event at \(item.sequence)\n\n"
        }
    }
}
