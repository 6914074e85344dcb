internal import COpenSSL

/// SHA-256 from libcrypto (the OpenSSL already linked for TLS), used to store and look up credential
/// tokens by hash only.
enum SHA256 {
    /// The 32-byte digest of `message`.
    static func digest<Bytes: Collection<UInt8>>(_ message: Bytes) -> [UInt8] {
        let input = Array(message)
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var length: UInt32 = 0
        // EVP_Digest returns 1 on success; SHA-256 over memory fails only if libcrypto is unusable.
        let ok = input.withUnsafeBytes { bytes in
            EVP_Digest(bytes.baseAddress, bytes.count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(ok == 1 && length == SHA256_DIGEST_LENGTH, "libcrypto SHA-256 failed")
        return digest
    }

    /// Lower-case hex of the digest, the form stored in `credentials.token_hash`.
    static func hex(_ string: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest(Array(string.utf8)) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether two byte strings are equal, in time that depends only on their length (CRYPTO_memcmp).
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, x.count) == 0 } }
    }
}
