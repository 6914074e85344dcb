import Foundation
import TallyClient
import TallyMessages
import TallyPresentation
import TallyServerTestSupport
import XCTest

/// The live dashboard in a real headless Chromium: it logs in, shows the seeded plan's figures,
/// takes a report made after it loaded without a reload, fits both screen sizes, switches to
/// English, and rides out a server restart (logging in again: sessions live in the server's
/// memory). Screenshots go to `.build/test-artifacts/web` (or `$TALLY_TEST_ARTIFACTS`).
final class BrowserDashboardTests: XCTestCase {
    /// The 2023 campaign as it stood late in November, so elapsed time and standings read as in the office.
    static let clock = Date(timeIntervalSince1970: 1_701_100_800)  // 2023-11-28 00:00 in Beijing

    func testLiveDashboardInHeadlessChromium() async throws {
        let harness = try await SideDoorHarness.start(clock: Self.clock)
        try await WebDriver.session(width: 1920, height: 1080, with: harness) { browser in
            try await exercise(browser, harness)
        }
    }

    private func exercise(_ browser: WebDriver, _ harness: SideDoorHarness) async throws {
        try await busyMorning(harness)
        try await browser.resize(width: 1920, height: 1080)
        try await browser.navigate(harness.base)
        try await browser.waitFor("return !document.getElementById('login').hidden")
        try await browser.logIn(harness.tokens.centralToken)
        try await browser.waitFor("return document.getElementById('live').dataset.state === 'live' && document.getElementById('overall-percent')")

        // The seeded plan's figures, as the server computes them.
        let central = try harness.server.central
        var dashboard = try await central.dashboard()
        try await expectOverall(browser, dashboard)
        let board = try await text(browser, "board")
        for department in dashboard.departments {
            XCTAssertTrue(board.contains(department.department.name), department.department.name)
            for line in department.lines { XCTAssertTrue(board.contains(line.line.name), line.line.name) }
        }
        XCTAssertTrue(board.contains("项目 \(dashboard.projectCount) 个"), "project count")
        XCTAssertTrue(board.contains(OfficeFormat.money(yi: dashboard.plannedInvestment)), "planned investment \(dashboard.plannedInvestment)")
        XCTAssertTrue(board.contains(OfficeFormat.money(yi: dashboard.investmentCompleted)), "completed investment")

        // A report made after the page loaded appears without a reload.
        let report = try await harness.server.marine.reportTarget(Requests.set("marine-hitech/hq/new-hq-projects", to: "3"))
        try await browser.waitFor("return document.querySelector(`#changes li[data-sequence='${arguments[0]}']`)", [report.sequence])
        dashboard = try await harness.server.dashboard(central, atLeast: report.sequence)
        try await expectOverall(browser, dashboard)

        try await browser.waitFor("return window.innerWidth === 1920 && window.innerHeight === 1080")
        try await expectFits(browser)
        try await screenshot(browser, "dashboard-zh-1920x1080")
        try await browser.resize(width: 1366, height: 768)
        try await browser.waitFor("return window.innerWidth === 1366 && window.innerHeight === 768")
        try await expectFits(browser)
        try await screenshot(browser, "dashboard-zh-1366x768")
        try await browser.run("document.getElementById('lang').click()")
        try await browser.waitFor("return document.getElementById('title').textContent.startsWith('Innovation')")
        let english = try await text(browser, "board")
        XCTAssertTrue(english.contains("projects (shared ones counted once)"), "English labels")
        XCTAssertTrue(english.contains(OfficeFormat.money(yi: dashboard.plannedInvestment, .en)), "English money")
        try await expectFits(browser)
        try await screenshot(browser, "dashboard-en-1366x768")
        try await browser.run("document.getElementById('lang').click()")

        // The server restarts: the page says so. Sessions live in the server's memory, so the page
        // asks for the token again, then goes on from where it was: a change committed while it
        // waited appears, and nothing before it comes twice.
        await harness.stop()
        try await browser.waitFor("return document.getElementById('live').dataset.state === 'reconnecting'")
        try await harness.restart()
        try await browser.waitFor("return !document.getElementById('login').hidden && document.getElementById('login-error').textContent !== ''")
        try await screenshot(browser, "login-after-restart-zh-1366x768")
        let target = try await firstTarget(harness, of: "yinzhu")
        let missed = try await harness.server.yinzhu.reportTarget(Requests.increment(target))
        try await browser.logIn(harness.tokens.centralToken)
        try await browser.waitFor("return document.getElementById('live').dataset.state === 'live'")
        try await browser.waitFor("return document.querySelector(`#changes li[data-sequence='${arguments[0]}']`)", [missed.sequence])
        let after = try await harness.server.yinzhu.reportTarget(Requests.increment(target))
        try await browser.waitFor("return document.querySelector(`#changes li[data-sequence='${arguments[0]}']`)", [after.sequence])
        let copies = try await browser.run("return document.querySelectorAll(`#changes li[data-sequence='${arguments[0]}']`).length", [report.sequence])
        XCTAssertEqual(copies as? Int, 1, "the change before the restart is shown once")
        dashboard = try await harness.server.dashboard(try harness.server.central, atLeast: after.sequence)
        try await expectOverall(browser, dashboard)
    }

    /// The overall completion on the page matches the server's (to the one decimal shown).
    private func expectOverall(_ browser: WebDriver, _ dashboard: Tally_V1_Dashboard) async throws {
        let expected = try XCTUnwrap(Double(dashboard.overall.completionPercent.isEmpty ? "0" : dashboard.overall.completionPercent))
        try await browser.waitFor(
            "return Math.abs(parseFloat(document.getElementById('overall-percent').textContent) - arguments[0]) < 0.051", [expected])
    }

    /// Nothing runs off the screen: no horizontal scrolling, the board ends inside the window, and
    /// every headline card holds its text.
    private func expectFits(_ browser: WebDriver) async throws {
        let report = try await browser.run("""
            const board = document.getElementById('board').getBoundingClientRect();
            const cards = [...document.querySelectorAll('.card')].filter(c => c.scrollHeight > c.clientHeight + 1 || c.scrollWidth > c.clientWidth + 1).map(c => c.id);
            return {wide: document.documentElement.scrollWidth > window.innerWidth, tall: board.bottom > window.innerHeight + 1, cards: cards.join(',')};
            """) as? [String: Any]
        XCTAssertEqual(report?["wide"] as? Bool, false, "no horizontal overflow")
        XCTAssertEqual(report?["tall"] as? Bool, false, "the board fits the window height")
        XCTAssertEqual(report?["cards"] as? String, "", "cards whose text overflows")
    }

    private func screenshot(_ browser: WebDriver, _ name: String) async throws {
        let png = try await browser.screenshot()
        let folder = Self.artifacts
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("\(name).png")
        try png.write(to: file)
        print("screenshot: \(file.path)")
    }

    /// The visible text of an element.
    private func text(_ browser: WebDriver, _ id: String) async throws -> String {
        let value = try await browser.run("return document.getElementById(arguments[0]).innerText", [id])
        return try XCTUnwrap(value as? String)
    }

    static var artifacts: URL {
        if let folder = ProcessInfo.processInfo.environment["TALLY_TEST_ARTIFACTS"] {
            return URL(fileURLWithPath: folder).appendingPathComponent("web")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/test-artifacts/web")
    }

    /// Some figures before the page opens, so the board shows a campaign under way.
    private func busyMorning(_ harness: SideDoorHarness) async throws {
        for (department, client) in [("marine-hitech", try harness.server.marine), ("yinzhu", try harness.server.yinzhu)] {
            let mine = try await client.listMine()
            for (index, target) in mine.targets.prefix(12).enumerated() {
                guard let figure = Decimal(string: target.targetFigure), figure > 0 else { continue }
                let share = Decimal([95, 60, 100, 40, 80, 20][index % 6]) / 100
                let value = target.unit == "项" ? (index % 2 == 0 ? 1 : 0) : figure * share
                _ = try await client.reportTarget(Requests.set(target.id, to: "\(value)"))
            }
            for (index, project) in mine.projects.filter({ $0.leadDepartment == department }).prefix(6).enumerated() {
                let wanted: Tally_V1_Stage = [.signed, .landAcquired, .underConstruction, .completed][index % 4]
                let stage = Tally_V1_Stage(rawValue: max(wanted.rawValue, project.stage.rawValue)) ?? wanted
                let planned = Decimal(string: project.plannedInvestment) ?? 10
                _ = try await client.reportProject(Requests.project(project.id, stage: stage, investment: "\(planned * Decimal(index + 1) / 8)"))
            }
        }
    }

    private func firstTarget(_ harness: SideDoorHarness, of department: String) async throws -> String {
        let mine = try await harness.server.yinzhu.listMine()
        return try XCTUnwrap(mine.targets.first { $0.unit != "项" }?.id)
    }
}
