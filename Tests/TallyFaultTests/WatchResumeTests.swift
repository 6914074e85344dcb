import Foundation
import Synchronization
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import TallyWire
import XCTest

/// Watchers whose connection is cut, or who are too slow, resume from their last sequence.
final class WatchResumeTests: XCTestCase {
    func testWatcherResumesAfterItsConnectionIsCut() async throws {
        let server = try await TallyTestServer.start()
        defer { Task { await server.stop() } }
        let proxy = try TCPProxy(upstreamPort: server.port)
        defer { proxy.close() }
        let watcher = TallyClientFactory.client(port: proxy.port, token: server.centralToken)
        let seen = SequenceLog()
        let watching = Task {
            for try await event in watcher.watchResuming(
                backoff: ReconnectBackoff(initial: .milliseconds(20), maximum: .milliseconds(200)),
                onReconnect: { _ in seen.reconnected() }) {
                seen.add(event)
            }
        }
        try await waitFor("the snapshot") { seen.start != nil }
        let marine = server.client(server.marineToken)
        var last: Int64 = 0
        for n in 1...60 {
            last = try await marine.reportTarget(Requests.increment(Plan.marineTargets[n % 3])).sequence
            if n % 20 == 0 {
                // Cut k needs the watcher's k-th connection: the first, then one per earlier cut.
                let cut = n / 20
                try await waitFor("the watcher's connection #\(cut) through the proxy") { proxy.proxiedCount >= cut }
                XCTAssertGreaterThan(proxy.cutAll(), 0, "no connection to cut")
            }
        }
        try await waitFor("the watcher to reach \(last)") { seen.highest >= last }
        // The last cut may land after the last event arrived; its reconnection follows its backoff.
        try? await waitFor("the reconnection after each cut") { seen.reconnectCount >= 3 }
        watching.cancel()
        XCTAssertGreaterThanOrEqual(seen.reconnectCount, 3, "the watcher should have reconnected after each cut")
        XCTAssertEqual(seen.gaps(after: try XCTUnwrap(seen.start), through: last), [])
        XCTAssertEqual(seen.received.count, Int(last - (seen.start ?? 0)), "exactly one event per change")
    }

    func testSlowWatcherIsCutOffWithResourceExhaustedAndResumes() async throws {
        let server = try await TallyTestServer.start(configure: { $0.watcherCapacity = 4 })
        defer { Task { await server.stop() } }
        let central = server.client(server.centralToken)
        let marine = server.client(server.marineToken)
        let seen = SequenceLog()
        var cutOff: RPCError?
        var last: Int64 = 0
        var resumeAfter: Int64 = 0
        // Bursts of 300 changes committed at once overflow a 4-event queue; repeat until it happens.
        for burst in 0..<5 where cutOff == nil {
            let stream = central.watch(afterSequence: resumeAfter)
            let ended = Flag()
            let consumer = Task { () -> RPCError? in
                defer { ended.set() }
                do {
                    for try await event in stream {
                        seen.add(event)
                        try await Task.sleep(for: .microseconds(200))  // a slow reader
                    }
                } catch let error as RPCError { return error }
                return nil
            }
            try await waitFor("the watch to start") { seen.start != nil || resumeAfter > 0 }
            var report = Tally_V1_SubmitPeriodReportRequest()
            report.requestID = "burst-\(burst)-\(UUID().uuidString)"
            report.updates = (0..<300).map { index in
                var update = Tally_V1_Update()
                update.target = Requests.increment(Plan.marineTargets[index % 3], id: "")
                return update
            }
            last = try await marine.submitPeriodReport(report).lastSequence
            try await waitFor("the burst to be delivered or cut off") { seen.highest >= last || ended.isSet }
            consumer.cancel()
            cutOff = (try? await consumer.value) ?? nil
            if let cutOff, cutOff.code == .resourceExhausted {
                resumeAfter = Int64(cutOff.metadata["resume-after-sequence"] ?? "") ?? seen.highest
            } else {
                cutOff = nil
                resumeAfter = seen.highest
            }
        }
        let error = try XCTUnwrap(cutOff, "a watcher with a 4-event queue was never cut off by 300-change bursts")
        XCTAssertEqual(error.code, .resourceExhausted)
        XCTAssertTrue(error.message.contains("too slow"), error.message)
        XCTAssertEqual(resumeAfter, seen.highest, "the server's resume point is the last event delivered")
        // Resume with a fast reader from the sequence the server named, once the server's totals hold
        // the whole burst (a dashboard read waits for that): the missed events then come from the
        // server's ring in one go, and no new burst can overflow the 4-event queue again.
        let caughtUp = try await central.dashboard()
        XCTAssertGreaterThanOrEqual(caughtUp.sequence, last)
        let resumed = Task { () -> String in
            do {
                for try await event in central.watch(afterSequence: resumeAfter) {
                    seen.add(event)
                    if seen.highest >= last { return "done" }
                }
                return "stream ended"
            } catch { return "\(error)" }
        }
        do {
            try await waitFor("the resumed watcher to reach \(last)") { seen.highest >= last }
        } catch {
            resumed.cancel()
            XCTFail("resumed watch after \(resumeAfter), highest \(seen.highest): \(await resumed.value)")
            throw error
        }
        resumed.cancel()
        XCTAssertEqual(seen.gaps(after: try XCTUnwrap(seen.start), through: last), [])
    }
}

/// Clients for ports other than the server's (a proxy).
enum TallyClientFactory {
    static func client(port: Int, token: String) -> TallyClient {
        TallyClient(host: "127.0.0.1", port: port, token: token, peerName: "tally-fault-test/1", callTimeout: .seconds(10))
    }
}

/// A flag set once, read from any thread.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
