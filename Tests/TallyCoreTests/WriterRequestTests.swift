import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyWire
import TallyServerTestSupport
import XCTest

/// What a write request may carry: a request id bound to one request, fields bounded in UTF-8
/// bytes, and a period report's note kept on every update.
final class WriterRequestTests: XCTestCase {
    static let fixedAssets = "yinzhu/industry/fixed-asset-investment"
    static let output = "yinzhu/industry/industrial-output"

    func testARequestIDReusedForAnotherRequestIsRefusedAndNothingApplied() async throws {
        let server = try await TallyTestServer.start()
        let clerk = server.yinzhu
        let first = try await clerk.reportTarget(Requests.increment(Self.fixedAssets, by: "2", id: "once"))
        XCTAssertFalse(first.replayed)
        for (what, request) in [("another figure", Requests.increment(Self.fixedAssets, by: "3", id: "once")),
                                ("another target", Requests.increment(Self.output, by: "2", id: "once")),
                                ("another note", Requests.increment(Self.fixedAssets, by: "2", id: "once", note: "x"))] {
            let error = await assertStatus(.invalidArgument, what) { try await clerk.reportTarget(request) }
            XCTAssertTrue(error?.message.contains("request id \"once\" was used for a different request") ?? false,
                          "\(what): \(String(describing: error))")
        }
        let again = try await clerk.reportTarget(Requests.increment(Self.fixedAssets, by: "2", id: "once"))
        XCTAssertTrue(again.replayed)
        XCTAssertEqual(again.sequence, first.sequence)
        let mine = try await clerk.listMine()
        XCTAssertEqual(mine.targets.first { $0.id == Self.fixedAssets }?.currentFigure, "2")
        XCTAssertEqual(mine.targets.first { $0.id == Self.output }?.version, 1)
        await clerk.close()
        await server.stop()
    }

    /// Limits count UTF-8 bytes: a single character of 100 KB (a letter with 50,000 combining
    /// marks) is refused as a request id, and 70 Chinese characters (210 bytes) as a target id,
    /// each with INVALID_ARGUMENT naming the field, never INTERNAL with PostgreSQL's text.
    func testFieldLimitsCountUTF8BytesAndNameTheField() async throws {
        let server = try await TallyTestServer.start()
        let clerk = server.yinzhu
        let oneHugeCharacter = "e" + String(repeating: "\u{0301}", count: 50_000)
        XCTAssertEqual(oneHugeCharacter.count, 1)
        var error = await assertStatus(.invalidArgument, "huge request id") {
            try await clerk.reportTarget(Requests.increment(Self.fixedAssets, id: oneHugeCharacter))
        }
        XCTAssertTrue(error?.message.hasPrefix("request_id: 100001 bytes long, at most 128 bytes") ?? false,
                      "\(String(describing: error))")
        error = await assertStatus(.invalidArgument, "long target id") {
            try await clerk.reportTarget(Requests.increment(String(repeating: "指", count: 70)))
        }
        XCTAssertTrue(error?.message.hasPrefix("target_id: 210 bytes long, at most 200 bytes") ?? false,
                      "\(String(describing: error))")
        error = await assertStatus(.invalidArgument, "long note") {
            try await clerk.reportTarget(Requests.increment(Self.fixedAssets, note: String(repeating: "注", count: 700)))
        }
        XCTAssertTrue(error?.message.hasPrefix("note: 2100 bytes long, at most 2000 bytes") ?? false,
                      "\(String(describing: error))")
        let exactly = String(repeating: "id", count: 64)
        _ = try await clerk.reportTarget(Requests.increment(Self.fixedAssets, id: exactly))
        await clerk.close()
        await server.stop()
    }

    func testAPeriodReportsNoteIsKeptOnItsTargetUpdates() async throws {
        let server = try await TallyTestServer.start()
        let clerk = server.yinzhu
        var report = Requests.periodReport([Requests.increment(Self.fixedAssets, by: "1.5")])
        report.note = "三月月报"
        let response = try await clerk.submitPeriodReport(report)
        XCTAssertEqual(response.targets.first?.note, "三月月报")
        let history = try await server.central.history(subjectID: Self.fixedAssets)
        XCTAssertEqual(history.first?.note, "三月月报")
        XCTAssertEqual(history.first?.sequence, response.lastSequence)
        await clerk.close()
        await server.stop()
    }
}
