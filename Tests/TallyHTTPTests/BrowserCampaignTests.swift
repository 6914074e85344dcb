import Foundation
import TallyMessages
import TallyServerTestSupport
import XCTest

/// The web dashboard of a named campaign in a real headless Chromium: `/?campaign=2023` shows 2023
/// (finished) beside the running 2024, with its ranking; its live list takes 2023's changes only;
/// the selector switches to 2024.
final class BrowserCampaignTests: XCTestCase {
    /// 2024-06-15 00:00 in Beijing: 2024 runs, 2023 has ended.
    static let clock = Date(timeIntervalSince1970: 1_718_380_800)

    func testTheAddressChoosesTheCampaignAndTheSelectorSwitchesIt() async throws {
        let harness = try await SideDoorCampaignTests.startWith2024(clock: Self.clock)
        try await WebDriver.session(width: 1920, height: 1080, with: harness) { browser in
            try await exercise(browser, harness)
        }
    }

    private func exercise(_ browser: WebDriver, _ harness: SideDoorHarness) async throws {
        let central = try harness.server.central
        let of2023 = try await central.dashboard(campaign: "2023")
        XCTAssertTrue(of2023.finished)
        XCTAssertFalse(of2023.ranking.rows.isEmpty, "the ranking has a row per department")

        try await browser.navigate(try XCTUnwrap(URL(string: "/?campaign=2023", relativeTo: harness.base)))
        try await browser.waitFor("return !document.getElementById('login').hidden")
        try await browser.logIn(harness.tokens.centralToken)
        try await browser.waitFor("return document.getElementById('live').dataset.state === 'live' && document.getElementById('overall-percent')")
        try await browser.waitFor("return document.getElementById('asof').textContent.startsWith('2023 (已结束)')")
        try await browser.waitFor("return document.getElementById('campaign').value === '2023' && document.getElementById('campaign').options.length === 2")
        try await browser.waitFor("return document.querySelectorAll('#ranking .row').length === arguments[0]", [of2023.ranking.rows.count])

        // Changes of 2024 move nothing on the 2023 board; 2023's appear.
        let marine = try harness.server.marine
        let into2024 = try await marine.reportTarget(Requests.set(SideDoorCampaignTests.target2024, to: "1"))
        let into2023 = try await marine.reportTarget(Requests.set(SideDoorCampaignTests.target2023, to: "2"))
        try await browser.waitFor("return document.querySelector(`#changes li[data-sequence='${arguments[0]}']`)", [into2023.sequence])
        let shown = try await browser.run("return document.querySelectorAll(`#changes li[data-sequence='${arguments[0]}']`).length", [into2024.sequence])
        XCTAssertEqual(shown as? Int, 0, "a 2024 change is not listed on the 2023 board")

        // The selector reloads the page with the other campaign, live.
        try await browser.run("const s = document.getElementById('campaign'); s.value = '2024'; s.dispatchEvent(new Event('change'))")
        try await browser.waitFor("return location.search === '?campaign=2024' && document.getElementById('live').dataset.state === 'live'")
        try await browser.waitFor("return document.getElementById('asof').textContent.startsWith('2024 ·')")
        let of2024 = try await harness.server.dashboard(central, atLeast: into2023.sequence)
        XCTAssertEqual(of2024.campaign, "2024", "the running campaign is the default")
        let figure = try XCTUnwrap(Double(of2024.overall.completionPercent))
        try await browser.waitFor("return Math.abs(parseFloat(document.getElementById('overall-percent').textContent) - arguments[0]) < 0.06", [figure])
    }
}
