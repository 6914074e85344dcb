import Foundation
import TallyRPC

/// The certificate of `tally bench --tls`: self-signed for 127.0.0.1 (P-256), made with the
/// `openssl` command in a temporary directory; the clients trust exactly it.
struct BenchTLS: Sendable {
    let directory: String
    var certificateFile: String { directory + "/server.pem" }
    var keyFile: String { directory + "/server.key" }

    /// Makes the certificate and key.
    static func make() throws -> BenchTLS {
        let tls = BenchTLS(directory: NSTemporaryDirectory() + "tally-bench-tls-" + UUID().uuidString)
        try FileManager.default.createDirectory(atPath: tls.directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-keyout", tls.keyFile, "-out", tls.certificateFile, "-subj", "/CN=tally-bench",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw BenchError("--tls needs the openssl command: \(error)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("openssl could not make the bench certificate") }
        return tls
    }

    /// What clients use: TLS trusting this certificate.
    var client: TLSClientConfiguration { TLSClientConfiguration(caFile: certificateFile) }

    /// Deletes the files.
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
