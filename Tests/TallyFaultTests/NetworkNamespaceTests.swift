import Foundation
import TallyCore
import TallyStore
import TallyServerTestSupport
import TallyTestSupport
import XCTest

/// Tally across a real network: the server in one network namespace, a department in another,
/// joined by a veth pair (made by the test with `ip netns`, as root; without root, both on the
/// loopback). The department reports over TLS with the real binaries; across the veth pair a
/// plaintext server also refuses to listen, and the client refuses to send its token in clear.
final class NetworkNamespaceTests: XCTestCase {
    func testDepartmentReportsOverTLSFromAnotherNamespace() throws {
        let network = try TestNetwork()
        defer { network.remove() }
        let ca = try TestCertificates(name: "New Area CA")
        defer { ca.remove() }
        let files = try ca.issue(commonName: "tally.new-area.test", dnsNames: ["tally.new-area.test"],
                                 ipAddresses: [network.serverAddress], withChain: true)
        let database = try TestDatabase.fresh()

        if network.isolated {
            // Plaintext on the shared network is refused at start.
            let refused = try Self.run(namespace: network.serverNamespace, [
                "serve", "--database", database.conninfo, "--listen", "\(network.serverAddress):0", "--lang", "en"])
            XCTAssertEqual(refused.status, 1, "a usage error")
            XCTAssertTrue(refused.output.contains("without TLS") && refused.output.contains("--tls-cert"), refused.output)
        }

        let server = try ServeProcess(
            database: database.conninfo, host: network.serverAddress,
            extraArguments: ["--tls-cert", files.certificateFile, "--tls-key", files.keyFile],
            namespace: network.serverNamespace)
        defer { server.stop() }
        let token = try CredentialStore(configuration: database)
            .create(name: "marine clerk", role: .department, department: "marine-hitech").token

        let target = Plan.marineTargets[0]
        let secure = "tallys://\(network.serverAddress):\(server.port)"
        let report = try Self.run(namespace: network.departmentNamespace, [
            "report", "target", target, "--add", "1.5", "--server", secure, "--ca", ca.caFile, "--token", token, "--lang", "en"])
        XCTAssertEqual(report.status, 0, report.output)
        XCTAssertEqual(try Self.sequenceCount(database), 1)

        // The token refused in clear, and a server the department does not trust.
        if network.isolated {
            let plain = try Self.run(namespace: network.departmentNamespace, [
                "report", "target", target, "--add", "1", "--server", "\(network.serverAddress):\(server.port)",
                "--token", token, "--lang", "en"])
            XCTAssertEqual(plain.status, 1, "a usage error")
            XCTAssertTrue(plain.output.contains("refusing to send the token in clear"), plain.output)
        }
        let untrusted = try Self.run(namespace: network.departmentNamespace, [
            "report", "target", target, "--add", "1", "--server", secure, "--token", token, "--lang", "en"])
        XCTAssertNotEqual(untrusted.status, 0)
        XCTAssertTrue(untrusted.output.contains("certificate verify failed"), untrusted.output)
        XCTAssertEqual(try Self.sequenceCount(database), 1, "refused reports changed nothing")
    }

    private static func sequenceCount(_ database: PostgresConfiguration) throws -> Int64 {
        let connection = try PostgresConnection(configuration: database)
        defer { connection.close() }
        return try connection.execute("SELECT count(*) FROM change_log WHERE kind = 'target' AND credential IS NOT NULL").rows.first?.decode(Int64.self, at: 0) ?? -1
    }

    /// Runs the tally binary inside `namespace` (here without one); returns its exit status and combined output.
    static func run(namespace: String?, _ arguments: [String]) throws -> (status: Int32, output: String) {
        guard let namespace else { return try TestNetwork.command(try ServeProcess.binary().path, arguments) }
        return try TestNetwork.command("/usr/sbin/ip", ["netns", "exec", namespace, try ServeProcess.binary().path] + arguments)
    }
}

/// Two network namespaces joined by a veth pair on a private /30, named uniquely for this test; or,
/// without root (where `ip netns` is not allowed), the loopback of this host.
final class TestNetwork {
    let serverNamespace: String?
    let departmentNamespace: String?
    let serverAddress: String
    let departmentAddress: String
    /// True for the namespaces (a network other than loopback between the two).
    var isolated: Bool { serverNamespace != nil }

    init() throws {
        guard getuid() == 0 else {
            (serverNamespace, departmentNamespace, serverAddress, departmentAddress) = (nil, nil, "127.0.0.1", "127.0.0.1")
            return
        }
        let tag = String(UInt32.random(in: 0...0xffff), radix: 16)
        let subnet = Int.random(in: 0...63) * 4
        let server = "tally-srv-\(tag)", department = "tally-dep-\(tag)"
        serverNamespace = server
        departmentNamespace = department
        serverAddress = "10.231.\(Int.random(in: 0...255)).\(subnet + 1)"
        departmentAddress = serverAddress.split(separator: ".").dropLast().joined(separator: ".") + ".\(subnet + 2)"
        let steps: [[String]] = [
            ["netns", "add", server],
            ["netns", "add", department],
            ["link", "add", "ts\(tag)", "netns", server, "type", "veth", "peer", "name", "td\(tag)", "netns", department],
            ["-n", server, "addr", "add", "\(serverAddress)/30", "dev", "ts\(tag)"],
            ["-n", department, "addr", "add", "\(departmentAddress)/30", "dev", "td\(tag)"],
            ["-n", server, "link", "set", "ts\(tag)", "up"],
            ["-n", department, "link", "set", "td\(tag)", "up"],
            ["-n", server, "link", "set", "lo", "up"],
            ["-n", department, "link", "set", "lo", "up"],
        ]
        for step in steps {
            let result = try Self.command("/usr/sbin/ip", step)
            guard result.status == 0 else {
                remove()
                throw NSError(domain: "TestNetwork", code: 2,
                              userInfo: [NSLocalizedDescriptionKey: "ip \(step.joined(separator: " ")): \(result.output)"])
            }
        }
    }

    /// Deletes both namespaces (and with them the veth pair).
    func remove() {
        for namespace in [serverNamespace, departmentNamespace].compactMap({ $0 }) {
            _ = try? Self.command("/usr/sbin/ip", ["netns", "delete", namespace])
        }
    }

    static func command(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TALLY_") }
        environment["NO_COLOR"] = "1"
        let result = try ToolProcess.run(path, arguments, environment: environment)
        return (result.status, result.combined)
    }
}
