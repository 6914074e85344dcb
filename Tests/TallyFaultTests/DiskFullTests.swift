import Foundation
import TallyClient
import TallyCore
import TallyStore
import TallyWire
import TallyServerTestSupport
import XCTest

/// The database's volume fills up: writes fail with a clear UNAVAILABLE, reads keep working, writes
/// work again once space is freed, and every acknowledged write is there exactly once.
final class DiskFullTests: XCTestCase {
    func testFullVolumeRefusesWritesClearlyKeepsReadsAndRecovers() async throws {
        let volume = try SmallDiskCluster()
        defer { volume.destroy() }
        let server = try await TallyTestServer.start(database: volume.database)
        let marine = server.client(server.marineToken, timeout: .seconds(10))
        let central = server.client(server.centralToken, timeout: .seconds(10))
        let before = try DB.figures(volume.database, Plan.marineTargets)
        let ledger = Ledger()

        func write(_ id: String) async throws {
            let target = Plan.marineTargets[0]
            ledger.sending(id, target)
            _ = try await marine.reportTarget(Requests.increment(target, id: id))
            ledger.acknowledge(id, target)
        }
        for index in 0..<20 { try await write("before-full-\(index)") }

        let filled = try volume.fill()
        // Pages PostgreSQL already has may take some more rows; the first write that needs a new page
        // must be refused with the disk-full message, and so must every write after it.
        var refusal: RPCError?
        var accepted = 0
        for index in 0..<5_000 where refusal == nil {
            do {
                try await write("while-full-\(index)")
                accepted += 1
            } catch let error as RPCError {
                refusal = error
            }
        }
        let error = try XCTUnwrap(refusal, "5,000 writes were accepted on a full volume")
        XCTAssertEqual(error.code, .unavailable, "\(error)")
        XCTAssertTrue(error.message.contains("out of disk space"), error.message)
        for index in 0..<3 {
            await assertStatus(.unavailable, "another write while full") { try await write("still-full-\(index)") }
        }

        // Reads keep working: from the database (ListMine, History) and from memory (Dashboard).
        let mine = try await marine.listMine()
        XCTAssertFalse(mine.targets.isEmpty)
        let history = try await central.history(subjectID: Plan.marineTargets[0])
        XCTAssertFalse(history.isEmpty)
        let dashboard = try await central.dashboard()
        XCTAssertGreaterThan(dashboard.sequence, 0)

        try volume.free()
        var resumed = false
        for index in 0..<50 where !resumed {
            do {
                try await write("after-free-\(index)")
                resumed = true
            } catch let error as RPCError where error.code == .unavailable {
                try await Task.sleep(for: .milliseconds(100))  // PostgreSQL retries the extension on the next write
            }
        }
        XCTAssertTrue(resumed, "writes did not resume after the space was freed")
        for index in 0..<20 { try await write("after-free-more-\(index)") }
        await server.stop()

        let figures = try Accounting.verify(volume.database, ledger: ledger, before: before)
        print("disk full: filler took \(filled / 1024) KiB; \(accepted) writes fit in existing pages, then refused: \(error.message); \(figures.acked) acknowledged, \(figures.logged) logged")
    }
}
