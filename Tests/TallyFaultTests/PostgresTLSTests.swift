import Foundation
import TallyCore
import TallyStore
import TallyTestSupport
import TallyServerTestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// PostgreSQL over TLS: a throwaway cluster with ssl=on and a CA made in the test, where TCP
/// connections without TLS are rejected. A `sslmode=verify-full` URL works for migrations and for a
/// whole server; a wrong CA or a wrong host name is refused by libpq.
final class PostgresTLSTests: XCTestCase {
    func testVerifyFullURLServesAndWrongCAOrNameIsRefused() async throws {
        let ca = try TestCertificates(name: "Database CA")
        defer { ca.remove() }
        let files = try ca.issue(commonName: "db.tally.test", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"])
        var template = Array((NSTemporaryDirectory() + "/tally-pgtls-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw NSError(domain: "PostgresTLSTests", code: Int(errno)) }
        let directory = String(cString: made)
        chmod(directory, 0o755)
        let cluster = try LocalCluster.create(directory: directory, port: LocalCluster.freePort(), fsync: false)
        defer {
            try? cluster.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try configureTLS(cluster, certificate: files.certificateFile, key: files.keyFile)
        try cluster.start()
        try cluster.createDatabase("tally")  // over the unix socket

        let url = "postgresql://postgres@127.0.0.1:\(cluster.port)/tally?sslmode=verify-full&sslrootcert=\(ca.caFile)"
        let secure = PostgresConfiguration(conninfo: url)
        let connection = try PostgresConnection(configuration: secure)
        let row = try connection.execute(
            "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").rows.first
        XCTAssertEqual(try row?.decode(Bool.self, at: 0), true)
        XCTAssertEqual(try row?.decode(String.self, at: 1), "TLSv1.3")
        connection.close()

        // A whole server on it: migrations, seeding, credentials, a report.
        let server = try await TallyTestServer.start(database: secure)
        let reply = try await server.client(server.marineToken).reportTarget(Requests.increment(Plan.marineTargets[0]))
        XCTAssertGreaterThan(reply.sequence, 0)
        await server.stop()

        let other = try TestCertificates(name: "Other CA")
        defer { other.remove() }
        let refusals = [
            ("wrong CA", "postgresql://postgres@127.0.0.1:\(cluster.port)/tally?sslmode=verify-full&sslrootcert=\(other.caFile)",
             "certificate verify failed"),
            ("wrong name", "postgresql://postgres@127.0.0.2:\(cluster.port)/tally?sslmode=verify-full&sslrootcert=\(ca.caFile)&hostaddr=127.0.0.1",
             "does not match host name"),
            ("no TLS", "postgresql://postgres@127.0.0.1:\(cluster.port)/tally?sslmode=disable", "no encryption"),
        ]
        for (what, conninfo, expected) in refusals {
            XCTAssertThrowsError(try PostgresConnection(configuration: PostgresConfiguration(conninfo: conninfo)), what) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(what): \(error)")
            }
        }
    }

    /// ssl=on with the test's certificate, and pg_hba rejecting TCP without TLS.
    private func configureTLS(_ cluster: LocalCluster, certificate: String, key: String) throws {
        let data = cluster.dataDirectory
        for (source, name) in [(certificate, "server.crt"), (key, "server.key")] {
            try? FileManager.default.removeItem(atPath: data + "/" + name)
            try FileManager.default.copyItem(atPath: source, toPath: data + "/" + name)
            chmod(data + "/" + name, 0o600)
            if getuid() == 0 {
                try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: data + "/" + name)
            }
        }
        let settings = "\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_min_protocol_version = 'TLSv1.2'\n"
        let configuration = try FileHandle(forWritingTo: URL(fileURLWithPath: data + "/postgresql.conf"))
        try configuration.seekToEnd()
        try configuration.write(contentsOf: Data(settings.utf8))
        try configuration.close()
        let hba = """
            local all all trust
            hostssl all all 127.0.0.1/32 trust
            hostnossl all all 127.0.0.1/32 reject
            host all all ::1/128 reject

            """
        try hba.write(toFile: data + "/pg_hba.conf", atomically: false, encoding: .utf8)
    }
}
