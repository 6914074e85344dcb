import Foundation

/// A throwaway certificate authority made with the `openssl` command for one test: it issues server
/// and client certificates (P-256 keys) into a temporary directory, removed by ``remove()``.
public final class TestCertificates: Sendable {
    /// The directory holding every file made.
    public let directory: String
    /// The CA's certificate (PEM): what clients trust.
    public let caFile: String
    private let caKey: String

    /// Makes a new CA named `name`.
    public init(name: String = "Tally Test CA") throws {
        directory = NSTemporaryDirectory() + "tally-certs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        caFile = directory + "/ca.pem"
        caKey = directory + "/ca.key"
        try Self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", caKey, "-out", caFile, "-days", "30", "-subj", "/CN=\(name)",
        ])
    }

    /// A certificate and key for `commonName`, valid for the given DNS names and IP addresses.
    /// `days` may be negative (an expired certificate). The certificate file holds the chain when
    /// `withChain` (leaf, then the CA). `fileName` defaults to the common name.
    public func issue(
        commonName: String, dnsNames: [String] = [], ipAddresses: [String] = [], days: Int = 30,
        client: Bool = false, withChain: Bool = false, fileName: String? = nil
    ) throws -> (certificateFile: String, keyFile: String) {
        let base = directory + "/" + (fileName ?? commonName.replacingOccurrences(of: " ", with: "_"))
        let names = dnsNames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" }
        var extensions = "basicConstraints=CA:FALSE\nextendedKeyUsage=\(client ? "clientAuth" : "serverAuth")\n"
        if !names.isEmpty { extensions += "subjectAltName=\(names.joined(separator: ","))\n" }
        try extensions.write(toFile: base + ".ext", atomically: true, encoding: .utf8)
        try Self.openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", base + ".key", "-out", base + ".csr", "-subj", "/CN=\(commonName)",
        ])
        try Self.openssl([
            "x509", "-req", "-in", base + ".csr", "-CA", caFile, "-CAkey", caKey, "-set_serial",
            String(UInt32.random(in: 1...UInt32.max)), "-out", base + ".pem", "-days", String(days),
            "-extfile", base + ".ext",
        ])
        if withChain {
            let chain = try String(contentsOfFile: base + ".pem", encoding: .utf8)
                + String(contentsOfFile: caFile, encoding: .utf8)
            try chain.write(toFile: base + ".pem", atomically: true, encoding: .utf8)
        }
        return (base + ".pem", base + ".key")
    }

    /// The SHA-256 fingerprint of a PEM certificate's DER, lower-case hex without colons.
    public static func fingerprint(of certificateFile: String) throws -> String {
        let output = try openssl(["x509", "-in", certificateFile, "-noout", "-fingerprint", "-sha256"])
        guard let equals = output.firstIndex(of: "=") else { throw CertificateToolError("no fingerprint in: \(output)") }
        return output[output.index(after: equals)...].filter { $0 != ":" && !$0.isWhitespace }.lowercased()
    }

    /// Deletes every file made.
    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `openssl` with `arguments`; returns standard output, throws with standard error on failure.
    @discardableResult
    public static func openssl(_ arguments: [String]) throws -> String {
        let result = try ToolProcess.run("/usr/bin/openssl", arguments)
        guard result.status == 0 else {
            throw CertificateToolError("openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(result.errors)")
        }
        return result.output
    }
}

/// The `openssl` command failed.
public struct CertificateToolError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
