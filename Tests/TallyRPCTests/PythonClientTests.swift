import Foundation
import TallyTestSupport
import XCTest
@testable import TallyRPC

/// The Python example client of Protocol/SPEC.md (standard library only) against the real server:
/// over TLS with the `ssl` module, and over plaintext, where it reads the insecure-transport mark.
final class PythonClientTests: XCTestCase {
    private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Protocol/examples/health_check.py").path

    func testPythonClientChecksHealthOverTLSAndPlaintext() async throws {
        let ca = try TestCertificates()
        defer { ca.remove() }
        let files = try ca.issue(commonName: "localhost", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], withChain: true)
        let (tls, tlsPort) = try startServer {
            $0.tls = TLSServerConfiguration(certificateFile: files.certificateFile, privateKeyFile: files.keyFile)
        }
        let secure = try Self.python(["--port", "\(tlsPort)", "--tls", "--ca", ca.caFile, "--host", "localhost"])
        XCTAssertEqual(secure.status, 0, secure.output)
        XCTAssertTrue(secure.output.contains("Health/Check: OK (TLS)"), secure.output)
        let untrusted = try Self.python(["--port", "\(tlsPort)", "--tls", "--host", "localhost"])
        XCTAssertNotEqual(untrusted.status, 0)
        XCTAssertTrue(untrusted.output.contains("CERTIFICATE_VERIFY_FAILED"), untrusted.output)
        await tls.shutdown()

        let (plain, plainPort) = try startServer {
            $0.host = "0.0.0.0"
            $0.allowsPlaintextBeyondLoopback = true
        }
        let insecure = try Self.python(["--port", "\(plainPort)"])
        XCTAssertEqual(insecure.status, 0, insecure.output)
        XCTAssertTrue(insecure.output.contains("INSECURE"), insecure.output)
        await plain.shutdown()
    }

    private static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try ToolProcess.run("/usr/bin/env", ["python3", script] + arguments)
        return (result.status, result.combined)
    }
}
