import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyWire
import TallyServerTestSupport
import XCTest

/// Plan changes by the central office: logged, versioned, visible to department clerks.
final class ServerAdminTests: XCTestCase {
    func testPlanUpsertIsVersionedAndReachesTheDepartment() async throws {
        let server = try await TallyTestServer.start()
        var target = Requests.target("yinzhu/industry/new-test-target", department: "yinzhu", line: "industry",
                                     name: "新增测试指标", figure: "12")
        let created = try await server.central.upsertTarget(target)
        XCTAssertEqual(created.version, 1)
        XCTAssertEqual(created.targetFigure, "12")

        target.targetFigure = "15"
        target.version = 1
        let updated = try await server.central.upsertTarget(target)
        XCTAssertEqual(updated.version, 2)

        target.targetFigure = "20"   // still claims version 1: someone else changed it meanwhile
        let stale = await assertStatus(.aborted) { try await server.central.upsertTarget(target) }
        XCTAssertEqual(stale?.metadata["current_version"], "2")

        let mine = try await server.yinzhu.listMine()
        XCTAssertEqual(mine.targets.first { $0.id == target.id }?.targetFigure, "15")
        let history = try await server.central.history(subjectID: target.id)
        XCTAssertEqual(history.count, 2)
        XCTAssertEqual(history.first?.kind, "plan")
        await assertStatus(.permissionDenied) { try await server.yinzhu.upsertTarget(target) }
        await server.stop()
    }
}
