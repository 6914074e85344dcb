import Foundation
import TallyServerTestSupport
import TallyTestSupport
import XCTest

/// TLS from the command line: `serve --tls-cert/--tls-key`, clients on `tallys://` with `--ca` or
/// TALLY_CA, SIGHUP reloading a renewed certificate, and the refusals (plaintext beyond loopback,
/// `--ca` on a plaintext address, an untrusted server). The web side door (`--http`) serves HTTPS
/// from the same files and reloads with them.
final class TLSCommandLineTests: XCTestCase {
    func testServeOverTLSReloadOnSIGHUPAndRefusals() throws {
        let ca = try TestCertificates()
        defer { ca.remove() }
        let files = try ca.issue(commonName: "tally", ipAddresses: ["127.0.0.1"], withChain: true)
        let database = try TestDatabase.fresh().conninfo
        let server = try ServeProcess(database: database, extraArguments: ["--tls-cert", files.certificateFile, "--tls-key", files.keyFile,
                                                                           "--http", "127.0.0.1:0"],
                                      environment: CLIProcess.environment(), directory: CLIProcess.scratchDirectory)
        defer { server.stop() }
        XCTAssertTrue(server.address.hasPrefix("tallys://127.0.0.1:"), server.address)
        let web = try webAddress(server)
        let page = try ToolProcess.run("/usr/bin/curl", ["-sS", "--max-time", "30", "--cacert", ca.caFile, web + "healthz"])
        XCTAssertEqual(page.output, "ok\n", "the side door serves HTTPS with the RPC listener's certificate: \(page.errors)")
        let made = try CLIProcess.run(["credential", "create", "--database", database, "--name", "c", "--role", "central", "--token-only"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let token = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let trusted = try CLIProcess.run(["dashboard", "--once", "--server", server.address, "--ca", ca.caFile, "--token", token])
        XCTAssertEqual(trusted.status, 0, trusted.stderr)
        let untrusted = try CLIProcess.run(["dashboard", "--once", "--server", server.address, "--token", token])
        XCTAssertEqual(untrusted.status, 3, untrusted.stderr)
        XCTAssertTrue(untrusted.stderr.contains("certificate verify failed"), untrusted.stderr)
        let plainAddress = String(server.address.dropFirst("tallys://".count))
        let mixed = try CLIProcess.run(["dashboard", "--once", "--server", plainAddress, "--ca", ca.caFile, "--token", token])
        XCTAssertEqual(mixed.status, 1, mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("tallys://"), mixed.stderr)

        // Renew with a certificate from another CA, SIGHUP, and the new CA is the one that works.
        let renewedCA = try TestCertificates(name: "Renewed CA")
        defer { renewedCA.remove() }
        let renewed = try renewedCA.issue(commonName: "tally renewed", ipAddresses: ["127.0.0.1"])
        try FileManager.default.removeItem(atPath: files.certificateFile)
        try FileManager.default.copyItem(atPath: renewed.certificateFile, toPath: files.certificateFile)
        try FileManager.default.removeItem(atPath: files.keyFile)
        try FileManager.default.copyItem(atPath: renewed.keyFile, toPath: files.keyFile)
        kill(server.process.processIdentifier, SIGHUP)
        let deadline = Date().addingTimeInterval(20)
        while !server.log.contains("TLS certificate reloaded") && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertTrue(server.log.contains("TLS certificate reloaded"), server.log)
        let viaEnvironment = try CLIProcess.run(["dashboard", "--once", "--server", server.address, "--token", token],
                                                environment: ["TALLY_CA": renewedCA.caFile])
        XCTAssertEqual(viaEnvironment.status, 0, viaEnvironment.stderr)
        XCTAssertTrue(server.process.isRunning)
        let reloaded = try ToolProcess.run("/usr/bin/curl", ["-sS", "--max-time", "30", "--cacert", renewedCA.caFile, web + "healthz"])
        XCTAssertEqual(reloaded.output, "ok\n", "SIGHUP reloaded the side door's certificate too: \(reloaded.errors)")

        let open = try CLIProcess.run(["serve", "--database", database, "--listen", "0.0.0.0:0"], timeout: 60)
        XCTAssertNotEqual(open.status, 0)
        XCTAssertTrue((open.stdout + open.stderr).contains("without TLS"), open.stdout + open.stderr)
        let openWeb = try CLIProcess.run(["serve", "--database", database, "--listen", "127.0.0.1:0", "--http", "0.0.0.0:0"], timeout: 60)
        XCTAssertEqual(openWeb.status, 1, openWeb.stdout + openWeb.stderr)
        XCTAssertTrue((openWeb.stdout + openWeb.stderr).contains("--insecure-plaintext"), "plain HTTP beyond loopback is refused too: \(openWeb.stderr)")
    }

    /// The side door's address as `serve` prints it once listening (`https://HOST:PORT/`).
    private func webAddress(_ server: ServeProcess) throws -> String {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let range = server.log.range(of: #"https://127\.0\.0\.1:[0-9]+/"#, options: .regularExpression) {
                return String(server.log[range])
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw NoWebAddress(log: server.log)
    }

    private struct NoWebAddress: Error {
        var log: String
    }
}
