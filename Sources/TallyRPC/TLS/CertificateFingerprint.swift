internal import COpenSSL

/// The fingerprint a credential is bound to: SHA-256 of a certificate's DER in lower-case hex, the
/// same value ``ServerContext/clientCertificateSHA256`` carries for a connection's client certificate.
public enum CertificateFingerprint {
    /// The fingerprint of the first certificate in a PEM file. Throws ``TLSError`` when it cannot be read.
    public static func sha256(pemFile path: String) throws(TLSError) -> String {
        TLSError.clearQueue()
        guard let file = BIO_new_file(path, "r") else { throw TLSError.drainQueue("cannot open \(path)") }
        defer { BIO_free(file) }
        guard let certificate = PEM_read_bio_X509(file, nil, nil, nil) else {
            throw TLSError.drainQueue("no PEM certificate in \(path)")
        }
        defer { X509_free(certificate) }
        guard let hex = sha256(certificate) else { throw TLSError.drainQueue("cannot digest the certificate in \(path)") }
        return hex
    }

    /// The fingerprint of a parsed certificate; nil if libcrypto fails.
    static func sha256(_ certificate: OpaquePointer) -> String? {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(certificate, EVP_sha256(), &digest, &length) == 1 else { return nil }
        let digits = Array("0123456789abcdef")
        return String(digest.prefix(Int(length)).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }
}
