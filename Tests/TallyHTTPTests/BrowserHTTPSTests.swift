import Foundation
import TallyCore
import TallyServerTestSupport
import TallyTestSupport
import XCTest

/// The dashboard in headless Chromium over the side door's HTTPS: login, the live stream over TLS, and
/// the session cookie as the browser keeps it (Secure, HttpOnly, Strict; the page's script cannot
/// read it). Chromium is told to accept the test certificate's key (its SPKI); curl checks the chain
/// against the test CA in SideDoorTLSTests.
final class BrowserHTTPSTests: XCTestCase {
    func testTheDashboardOverHTTPSWithASecureHttpOnlySessionCookie() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let issued = try certificates.issue(commonName: "tally web", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"])
        let files = TLSServerConfiguration(certificateFile: issued.certificateFile, privateKeyFile: issued.keyFile)
        let harness = try await SideDoorHarness.start(door: { $0.tls = files })
        let pin = try Self.spkiHash(issued.certificateFile)
        try await WebDriver.session(width: 1366, height: 768, arguments: ["--ignore-certificate-errors-spki-list=\(pin)"], with: harness) { browser in
            try await browser.navigate(URL(string: "https://127.0.0.1:\(harness.httpPort)/")!)
            try await browser.waitFor("return !document.getElementById('login').hidden")
            try await browser.logIn(harness.tokens.centralToken)
            try await browser.waitFor("return document.getElementById('live').dataset.state === 'live' && document.getElementById('overall-percent')")
            let report = try await harness.server.marine.reportTarget(Requests.set("marine-hitech/hq/new-hq-projects", to: "4"))
            try await browser.waitFor("return document.querySelector(`#changes li[data-sequence='${arguments[0]}']`)", [report.sequence])

            let visible = try await browser.run("return document.cookie") as? String
            XCTAssertEqual(visible, "", "the page's script sees no cookie")
            let cookies = try await browser.cookies()
            let cookie = try XCTUnwrap(cookies.first { $0["name"] as? String == "tally_session" }, "\(cookies)")
            XCTAssertEqual(cookie["secure"] as? Bool, true)
            XCTAssertEqual(cookie["httpOnly"] as? Bool, true)
            XCTAssertEqual(cookie["sameSite"] as? String, "Strict")
            XCTAssertNotEqual(cookie["value"] as? String, harness.tokens.centralToken)
        }
    }

    /// base64(SHA-256(SubjectPublicKeyInfo)) of a certificate, the form Chromium's SPKI list takes.
    private static func spkiHash(_ certificateFile: String) throws -> String {
        let script = "openssl x509 -in '\(certificateFile)' -pubkey -noout | openssl pkey -pubin -outform der"
            + " | openssl dgst -sha256 -binary | base64"
        let result = try ToolProcess.run("/bin/sh", ["-c", script])
        let hash = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(result.status, 0, result.errors)
        XCTAssertEqual(hash.count, 44, result.combined)
        return hash
    }
}
