import Foundation
import Logging
import TallyCore
import TallyHTTP
import TallyRPC
import TallyTestSupport
import XCTest

/// The side door over HTTPS with the RPC listener's certificate options, checked by curl against a
/// CA made in the test; the plaintext rule beyond loopback is the RPC listener's.
final class SideDoorTLSTests: XCTestCase {
    func testPageMetricsAndLoginOverHTTPSVerifiedAgainstTheTestCA() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let files = try Self.serverFiles(certificates)
        let harness = try await SideDoorHarness.start(door: { $0.tls = files })
        let base = "https://127.0.0.1:\(harness.httpPort)"
        let ca = certificates.caFile

        let page = try Self.curl(["--cacert", ca, base + "/"])
        XCTAssertEqual(page.status, 0, page.errors)
        XCTAssertTrue(page.output.contains("<html lang=\"zh-CN\">") && page.output.contains("id=\"board\""), String(page.output.prefix(200)))
        let metrics = try Self.curl(["--cacert", ca, base + "/metrics"])
        XCTAssertEqual(metrics.status, 0, metrics.errors)
        XCTAssertTrue(metrics.output.contains("tally_postgres_up 1"), String(metrics.output.prefix(400)))
        XCTAssertTrue(metrics.output.contains("tally_http_connections"), "the side door counts its connections")

        // Login over HTTPS: the session cookie is Secure as well as HttpOnly and Strict.
        let login = try Self.curl(["--cacert", ca, "-i", "--data", "token=\(harness.tokens.centralToken)", base + "/login"])
        XCTAssertEqual(login.status, 0, login.errors)
        let setCookie = try XCTUnwrap(login.output.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie:") })
        for attribute in ["Secure", "HttpOnly", "SameSite=Strict"] {
            XCTAssertTrue(setCookie.contains(attribute), "\(attribute) in \(setCookie)")
        }

        // The certificate really is checked: without the test CA curl refuses it; plain HTTP gets no page.
        let untrusted = try Self.curl([base + "/healthz"])
        XCTAssertEqual(untrusted.status, 60, "curl: peer certificate cannot be authenticated. \(untrusted.errors)")
        let plain = try Self.curl(["http://127.0.0.1:\(harness.httpPort)/healthz"])
        XCTAssertNotEqual(plain.status, 0, "plain HTTP on the HTTPS port: \(plain.output)")
        XCTAssertFalse(plain.output.contains("ok"))
        await harness.stop()
    }

    func testReloadServesTheRenewedCertificateToNewConnections() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let files = try Self.serverFiles(certificates)
        let harness = try await SideDoorHarness.start(door: { $0.tls = files })
        let first = try TestCertificates.fingerprint(of: files.certificateFile)
        XCTAssertEqual(try Self.presentedFingerprint(port: harness.httpPort, ca: certificates.caFile), first)

        _ = try Self.serverFiles(certificates)  // renewed in place, as certbot or an operator would
        let renewed = try TestCertificates.fingerprint(of: files.certificateFile)
        XCTAssertNotEqual(renewed, first)
        XCTAssertEqual(try Self.presentedFingerprint(port: harness.httpPort, ca: certificates.caFile), first,
                       "nothing changes before the reload")
        try harness.door.reloadTLS()
        XCTAssertEqual(try Self.presentedFingerprint(port: harness.httpPort, ca: certificates.caFile), renewed)

        // A broken file on reload keeps the working certificate.
        try "not a certificate".write(toFile: files.certificateFile, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try harness.door.reloadTLS()) { error in
            XCTAssertTrue("\(error)".contains(files.certificateFile), "\(error)")
        }
        XCTAssertEqual(try Self.presentedFingerprint(port: harness.httpPort, ca: certificates.caFile), renewed)
        await harness.stop()
    }

    func testPlaintextBeyondLoopbackIsRefusedUnlessAllowedAsOnTheRPCListener() async throws {
        let capture = LogCapture()
        let logger = Logger(label: "tally.test.http", factory: capture.handler)
        var configuration = HTTPSideDoorConfiguration(host: "0.0.0.0", port: 0)
        let refused = HTTPSideDoor(configuration: configuration, logger: logger, view: { nil })
        do {
            _ = try await refused.start()
            XCTFail("plaintext on 0.0.0.0 was served")
            await refused.shutdown()
        } catch let error as RPCSetupError {
            XCTAssertTrue(error.message.hasPrefix("refusing to listen on 0.0.0.0 without TLS"), error.message)
        }

        configuration.allowsPlaintextBeyondLoopback = true
        let allowed = HTTPSideDoor(configuration: configuration, logger: logger, view: { nil })
        let port = try await allowed.start()
        XCTAssertGreaterThan(port, 0)
        await allowed.shutdown()
        XCTAssertTrue(capture.all.contains { $0.hasPrefix("warning serving the web dashboard over PLAINTEXT") }, "\(capture.all)")

        let certificates = try TestCertificates()
        defer { certificates.remove() }
        var secured = HTTPSideDoorConfiguration(host: "0.0.0.0", port: 0)
        secured.tls = try Self.serverFiles(certificates)
        let withTLS = HTTPSideDoor(configuration: secured, logger: logger, view: { nil })
        let tlsPort = try await withTLS.start()
        let health = try Self.curl(["--cacert", certificates.caFile, "https://127.0.0.1:\(tlsPort)/healthz"])
        XCTAssertEqual(health.output, "ok\n", health.errors)
        await withTLS.shutdown()
    }

    // MARK: - Helpers

    /// A server certificate for 127.0.0.1 and localhost, issued (again) into the same two files.
    private static func serverFiles(_ certificates: TestCertificates) throws -> TLSServerConfiguration {
        let issued = try certificates.issue(commonName: "tally web", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"],
                                            fileName: "web-server")
        return TLSServerConfiguration(certificateFile: issued.certificateFile, privateKeyFile: issued.keyFile)
    }

    private static func curl(_ arguments: [String]) throws -> ToolProcess.Result {
        try ToolProcess.run("/usr/bin/curl", ["-sS", "--max-time", "30"] + arguments)
    }

    /// The SHA-256 fingerprint of the certificate a new TLS connection is shown, verified against `ca`.
    private static func presentedFingerprint(port: Int, ca: String) throws -> String {
        let script = "openssl s_client -connect 127.0.0.1:\(port) -CAfile '\(ca)' -verify_return_error </dev/null 2>/dev/null"
            + " | openssl x509 -noout -fingerprint -sha256"
        let result = try ToolProcess.run("/bin/sh", ["-c", script])
        guard result.status == 0, let equals = result.output.firstIndex(of: "=") else {
            throw NoCertificate(port: port, output: result.combined)
        }
        return result.output[result.output.index(after: equals)...].filter { $0 != ":" && !$0.isWhitespace }.lowercased()
    }

    private struct NoCertificate: Error {
        var port: Int
        var output: String
    }
}
