import Foundation
import TallyStore
import TallyTestSupport
import XCTest

final class ListenNotifyTests: XCTestCase {
    func testNotificationIsDelivered() throws {
        try withTwoSessions { listener, sender in
            let channel = "tally changes 变更"
            try listener.listen(channel)
            let started = ContinuousClock.now
            XCTAssertEqual(try listener.notifications(timeout: .milliseconds(200)), [])
            XCTAssertGreaterThanOrEqual(started.duration(to: .now), .milliseconds(190))

            try sender.notify(channel, payload: "科技局:190")
            let received = try listener.notifications(timeout: .seconds(5))
            XCTAssertEqual(received.count, 1)
            XCTAssertEqual(received.first?.channel, channel)
            XCTAssertEqual(received.first?.payload, "科技局:190")
            XCTAssertEqual(received.first?.senderPID, sender.backendPID)

            // Notifications sent inside a transaction arrive at commit, in order.
            try sender.transaction { connection in
                try connection.notify(channel, payload: "1")
                try connection.notify(channel, payload: "2")
            }
            var payloads: [String] = []
            while payloads.count < 2 {
                let batch = try listener.notifications(timeout: .seconds(5))
                if batch.isEmpty { break }
                payloads += batch.map(\.payload)
            }
            XCTAssertEqual(payloads, ["1", "2"])
        }
    }
}
