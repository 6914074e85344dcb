import Foundation
import GRDB
import TallyMessages
import XCTest

@testable import TallyOutbox

/// The outbox file itself: durable settings, and items that read back as they were written.
final class OutboxFileTests: XCTestCase {
    func testFileIsWALWithFullSynchronousCommits() throws {
        let outbox = try Outbox(path: try freshHome().appendingPathComponent("outbox.sqlite").path)
        let (journal, synchronous) = try outbox.store.database.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        XCTAssertEqual(journal, "wal")
        XCTAssertEqual(synchronous, 2, "FULL: every commit fsyncs the WAL before it returns")
    }

    func testItemsReadBackAsWrittenInTheOrderMade() throws {
        let path = try freshHome().appendingPathComponent("outbox.sqlite").path
        let madeAt = Date(timeIntervalSince1970: 1_675_179_000)   // 2023-01-31 23:30 CST
        let outbox = try Outbox(path: path, clock: { madeAt })
        var target = Tally_V1_ReportTargetRequest()
        target.requestID = "file-1"
        target.targetID = "yinzhu/industry/specialized-smes"
        target.setValue = "12.5"
        target.expectedVersion = 4
        var project = Tally_V1_ReportProjectRequest()
        project.requestID = "file-2"
        project.projectID = "p-x"
        project.stage = .completed
        try outbox.enqueue(.reportTarget(target), server: "127.0.0.1:7411")
        try outbox.enqueue(.reportProject(project), server: "127.0.0.1:7411")
        XCTAssertThrowsError(try outbox.enqueue(.reportTarget(target), server: "127.0.0.1:7411"), "a request id is queued once")

        let reopened = try Outbox(path: path)
        let items = try reopened.items()
        XCTAssertEqual(items.map(\.write.requestID), ["file-1", "file-2"])
        target.madeAtUnixMs = 1_675_179_000_000
        project.madeAtUnixMs = 1_675_179_000_000
        XCTAssertEqual(items.map(\.write), [.reportTarget(target), .reportProject(project)])
        XCTAssertEqual(items.first?.write.expectedVersion, 4)
        XCTAssertEqual(items.first?.madeAt, madeAt)
        XCTAssertEqual(items.map(\.state), [.queued, .queued])
    }
}
