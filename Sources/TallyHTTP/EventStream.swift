import Hummingbird
import NIOCore
import SwiftProtobuf
import TallyCore
import TallyMessages

/// `/events`: the watch feed as server-sent events. The first event is `snapshot` (the whole
/// dashboard); each committed change follows as a `change` event; every event's `id` is the
/// sequence it brings the page to, so the browser's automatic reconnect (`Last-Event-ID`, or
/// `?after=N`) resumes right after it with nothing lost or doubled. Data is the protobuf JSON mapping
/// of `WatchEvent`'s snapshot or change, on one line.
enum EventStream {
    /// Milliseconds the browser waits before reconnecting after the stream drops.
    static let retryMilliseconds = 1_000

    static func response(_ request: Request, view: OperatorView) -> Response {
        let after = resumePoint(request)
        let feed = view.watchFeed
        var headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
        headers[.init("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: \(retryMilliseconds)\n\n"))
            _ = try await feed.run(after: after) { item in
                try await writer.write(ByteBuffer(string: try frame(item)))
            }
            // Too slow or the server is stopping: end the stream; the browser resumes from its last id.
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
        case nil:
            return ": empty event at \(item.sequence)\n\n"
        }
    }
}
