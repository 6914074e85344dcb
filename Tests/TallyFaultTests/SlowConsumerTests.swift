import Foundation
import TallyClient
import TallyMessages
import TallyWire
import TallyServerTestSupport
import XCTest

/// A watcher whose consumer sleeps over every event: the client buffers a bounded amount and stops
/// reading, TCP holds the server back, and the server's slow-watcher cut-off ends the watch with
/// RESOURCE_EXHAUSTED and where to resume, instead of the client buffering without limit.
final class SlowConsumerTests: XCTestCase {
    func testSleepingConsumerIsCutOffByTheServerAndResumesWithoutAGap() async throws {
        let buffer = 64 << 10
        let server = try await TallyTestServer.start(configure: {
            $0.watcherCapacity = 16
            $0.outboundBufferBytes = buffer
        })
        let central = TallyClient(host: "127.0.0.1", port: server.port, token: server.centralToken,
                                  peerName: "tally-fault-test/1", callTimeout: .seconds(10), streamBufferBytes: buffer)
        let seen = SequenceLog()
        let ended = Flag()
        let consumer = Task { () -> RPCError? in
            defer { ended.set() }
            do {
                for try await event in central.watch() {
                    seen.add(event)
                    try await Task.sleep(for: .milliseconds(20))  // a consumer that sleeps
                }
            } catch let error as RPCError {
                return error
            } catch {
                return nil  // cancelled: never cut off
            }
            return nil
        }
        try await waitFor("the watch to start") { seen.start != nil }

        // Writers go on until the watch ends, or up to a cap far above what the bounded buffers hold.
        let cap = 12_000
        let written = Task { () -> Int in
            await withTaskGroup(of: Int.self) { group in
                for (index, token) in [server.marineToken, server.yinzhuToken, server.marineToken, server.yinzhuToken].enumerated() {
                    let client = server.client(token, timeout: .seconds(10))
                    let targets = index % 2 == 0 ? Plan.marineTargets : Plan.yinzhuTargets
                    group.addTask {
                        var count = 0
                        while !ended.isSet, count < cap / 4 {
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
        }
        let writes = await written.value
        if !ended.isSet { consumer.cancel() }  // the writers reached the cap and no cut-off came
        let cutOff = await consumer.value
        let error = try XCTUnwrap(cutOff, "the sleeping watcher was never cut off after \(writes) writes: the client kept reading")
        XCTAssertEqual(error.code, .resourceExhausted, "\(error)")
        XCTAssertTrue(error.message.contains("too slow"), error.message)
        let resumeAfter = try XCTUnwrap(Int64(error.metadata["resume-after-sequence"] ?? ""), "no resume point: \(error)")
        XCTAssertEqual(resumeAfter, seen.highest, "the resume point is the last event the consumer took")

        // Resuming from there with a consumer that keeps up misses nothing.
        let last = try await server.dashboard(central, atLeast: 0).sequence
        for try await event in server.client(server.centralToken).watch(afterSequence: resumeAfter) {
            seen.add(event)
            if seen.highest >= last { break }
        }
        XCTAssertEqual(seen.gaps(after: try XCTUnwrap(seen.start), through: last), [])
        print("slow consumer: cut off after taking \(resumeAfter - (seen.start ?? 0)) events while \(writes) writes went on; resumed after \(resumeAfter) and caught up to \(last)")
        await server.stop()
    }
}
