/// The 8 bytes each side sends before anything else: `TALLY/1\n`.
public enum Preface {
    public static let bytes: [UInt8] = Array("TALLY/1\n".utf8)
    public static let count = 8
    /// The protocol version carried in HELLO.
    public static let protocolVersion: UInt32 = 1
}
