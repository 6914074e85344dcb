import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import SwiftProtobuf
import TallyCore
import TallyMessages
import TallyWire

/// `/events`: the watch feed as server-sent events, of the campaign `?campaign=` names (else the
/// server's default). The first event is `snapshot` (the whole dashboard); each committed change follows as a `change` event; every event's `id` is the
/// sequence it brings the page to, so the browser's automatic reconnect (`Last-Event-ID`, or
/// `?after=N`) resumes right after it with nothing lost or doubled. Data is the protobuf JSON mapping
/// of `WatchEvent`'s snapshot or change, on one line. A comment line every 15 s keeps proxies from
/// closing a quiet stream and lets the server notice a browser that has gone.
enum EventStream {
    /// Milliseconds the browser waits before reconnecting after the stream drops.
    static let retryMilliseconds = 1_000
    /// Events queued for one browser before its stream is ended (it then resumes from its last id).
    static let capacity = 4_096

    /// The stream of a live session; it ends with the session (logout, expiry, its credential
    /// revoked anywhere), and the browser's reconnect is then refused with 401.
    /// `campaign` (nil: the server's default) is the campaign watched (SPEC.md 11, Oversight/Watch).
    static func response(_ request: Request, _ admitted: SessionCookie.Admitted, campaign: String?,
                         sessions: WebSessions) -> Response {
        let after = resumePoint(request)
        let view = admitted.view
        let feed = view.watchFeed
        let session = admitted.sessionID
        let credential = admitted.principal.credentialID
        var headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
        headers[.init("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let (frames, sink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(capacity))
            let ending = sessions.onEnd(session) { sink.finish() }
            let revocation = view.whenRevoked(credential) { sessions.endAll(credentialID: credential) }
            if ending == nil { sink.finish() }  // ended between the check and now
            let producer = Task {
                _ = try? await feed.run(after: after, campaign: campaign) { item in
                    guard case .enqueued = sink.yield(try frame(item)) else { throw CancellationError() }
                }
                sink.finish()  // too slow or the server is stopping: the browser resumes from its last id
            }
            let heartbeat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    // Expiry, and a revocation notice this server may have missed, end the stream here.
                    guard let live = sessions.find(session) else { break }
                    do {
                        _ = try await view.recheck(live.handle, peer: "events", logger: Logger(label: "tally.http"))
                    } catch let error as RPCError where error.code == .unauthenticated {
                        sessions.end(session)
                        break
                    } catch {}  // the database is away on a cache miss: keep the stream
                    sink.yield(": keep-alive\n\n")
                }
                sink.finish()
            }
            defer {
                producer.cancel()
                heartbeat.cancel()
                revocation.cancel()
                if let ending { sessions.cancelEnding(session, ending) }
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
