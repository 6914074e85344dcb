/// Credential tokens: 256 random bits from the system generator, shown once, stored only as a hash.
public enum Token {
    /// Every token starts with this prefix, so a leaked one is easy to recognise in a scan.
    public static let prefix = "tly_"

    /// A new random token, e.g. `tly_3f9c...` (64 hex digits after the prefix).
    public static func generate() -> String {
        prefix + randomHex(bytes: 32)
    }

    /// `bytes` random bytes from the operating system's CSPRNG (getrandom through Swift's
    /// `SystemRandomNumberGenerator`) as lower-case hex: tokens and web session ids.
    public static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        var text = ""
        for _ in 0..<bytes {
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return text
    }

    /// The stored form of a token: hex SHA-256.
    public static func hash(_ token: String) -> String { SHA256.hex(token) }

    /// Compares two strings in time independent of where they differ (libcrypto's CRYPTO_memcmp).
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        SHA256.constantTimeEquals(Array(a.utf8), Array(b.utf8))
    }
}
