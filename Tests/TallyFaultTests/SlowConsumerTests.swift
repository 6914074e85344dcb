import Foundation
import TallyClient
import TallyMessages
import TallyWire
import TallyServerTestSupport
import XCTest

/// A watcher whose consumer sleeps: the client buffers a bounded amount and stops reading, TCP holds
/// the server back, and the server's slow-watcher cut-off ends the watch with RESOURCE_EXHAUSTED and
/// where to resume, instead of the client buffering every event in memory.
final class SlowConsumerTests: XCTestCase {
    func testSleepingConsumerIsCutOffByTheServerAndResumesWithoutAGap() async throws {
        let buffer = 64 << 10
        let server = try await TallyTestServer.start(configure: {
            $0.watcherCapacity = 256  // above any burst of one commit: only a held-back handler fills it
            $0.outboundBufferBytes = buffer
        })
        let central = TallyClient(host: "127.0.0.1", port: server.port, token: server.centralToken,
                                  peerName: "tally-fault-test/1", callTimeout: .seconds(10), streamBufferBytes: buffer)
        let seen = SequenceLog()
        let awake = Flag()
        let consumer = Task { () -> RPCError? in
            do {
                for try await event in central.watch() {
                    seen.add(event)
                    while !awake.isSet { try await Task.sleep(for: .milliseconds(10)) }  // a consumer that sleeps
                }
            } catch let error as RPCError {
                return error
            } catch {
                return nil
            }
            return nil
        }
        try await waitFor("the watch to start") { seen.start != nil && server.server.watcherCount == 1 }

        // Writers go on until the server has cut the watcher off, or up to a cap far above what the
        // bounded buffers (64 KiB in the client, the kernel's, 64 KiB and 256 events in the server) hold.
        let cap = 8_000
        let writes = await withTaskGroup(of: Int.self) { group in
            for index in 0..<4 {
                let client = server.client(index % 2 == 0 ? server.marineToken : server.yinzhuToken, timeout: .seconds(10))
                let targets = index % 2 == 0 ? Plan.marineTargets : Plan.yinzhuTargets
                group.addTask {
                    var count = 0
                    while server.server.watcherCount != 0, count < cap / 4 {
                        var request = Requests.increment(targets[count % targets.count], id: "slow-\(index)-\(count)")
                        request.note = String(repeating: "进展顺利", count: 150)  // 1,800 bytes: big events
                        _ = try? await client.reportTarget(request)
                        count += 1
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        let cutOffOnServer = server.server.watcherCount == 0
        awake.set()
        if !cutOffOnServer { consumer.cancel() }
        let ended = await consumer.value
        XCTAssertTrue(cutOffOnServer, "the server never cut the sleeping watcher off in \(writes) writes: the client kept reading")
        let error = try XCTUnwrap(ended, "the watch did not end with the server's cut-off")
        XCTAssertEqual(error.code, .resourceExhausted, "\(error)")
        XCTAssertTrue(error.message.contains("too slow"), error.message)
        let resumeAfter = try XCTUnwrap(Int64(error.metadata["resume-after-sequence"] ?? ""), "no resume point: \(error)")
        XCTAssertEqual(resumeAfter, seen.highest, "the resume point is the last event the consumer got")

        // Resuming from there with a consumer that keeps up misses nothing.
        let last = try await server.dashboard(central, atLeast: 0).sequence
        for try await event in server.client(server.centralToken).watch(afterSequence: resumeAfter) {
            seen.add(event)
            if seen.highest >= last { break }
        }
        XCTAssertEqual(seen.gaps(after: try XCTUnwrap(seen.start), through: last), [])
        print("slow consumer: cut off by the server after \(writes) writes, \(resumeAfter - (seen.start ?? 0)) events delivered before the cut-off; resumed after \(resumeAfter) and caught up to \(last)")
        await server.stop()
    }
}
