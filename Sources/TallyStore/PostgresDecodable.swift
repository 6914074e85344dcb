import Foundation

/// A Swift type that can be built from PostgreSQL's text output of a value.
/// Conforming: Int64, Int32, Int, String, Bool, Date, Decimal, UUID, [UInt8] (bytea), and
/// Optional of any of them (the only way to accept NULL).
public protocol PostgresDecodable: Sendable {
    /// Builds a value from `text` (nil = SQL NULL) of the column named `column` (for messages).
    static func decode(postgresText text: String?, column: String) throws(StoreError) -> Self
}

extension PostgresDecodable {
    /// Unwraps a non-NULL text or throws a decoding error naming the column.
    static func required(_ text: String?, _ column: String) throws(StoreError) -> String {
        guard let text else {
            throw StoreError(kind: .decoding, "column \"\(column)\" is NULL; decode it as an Optional \(Self.self)")
        }
        return text
    }

    /// The decoding error for a value that does not parse as `Self` (the value goes to `detail`).
    static func mismatch(_ text: String, _ column: String, _ why: String = "") -> StoreError {
        StoreError(kind: .decoding, "column \"\(column)\" cannot be decoded as \(Self.self)\(why)", detail: "value: \(text)")
    }

    /// Decodes non-NULL text with `parse`, whose nil is a mismatch naming the column.
    static func parsing(_ text: String?, _ column: String, _ parse: (String) -> Self?) throws(StoreError) -> Self {
        let text = try required(text, column)
        guard let value = parse(text) else { throw mismatch(text, column) }
        return value
    }
}

/// Integers are their decimal text (int2, int4, int8).
extension PostgresDecodable where Self: FixedWidthInteger {
    public static func decode(postgresText text: String?, column: String) throws(StoreError) -> Self {
        try parsing(text, column) { Self($0) }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws(StoreError) -> Wrapped? {
        guard let text else { return nil }
        return try Wrapped.decode(postgresText: text, column: column)
    }
}

extension String: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws(StoreError) -> String {
        try required(text, column)
    }
}

extension Int64: PostgresDecodable {}
extension Int32: PostgresDecodable {}
extension Int: PostgresDecodable {}

extension Bool: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws(StoreError) -> Bool {
        switch try required(text, column) {
        case "t", "true": return true
        case "f", "false": return false
        case let other: throw mismatch(other, column)
        }
    }
}

extension Date: PostgresDecodable {
    /// Parses timestamptz/timestamp/date text (ISO DateStyle, which every connection sets).
    public static func decode(postgresText text: String?, column: String) throws(StoreError) -> Date {
        try parsing(text, column, PostgresTimestamp.parse)
    }
}

extension Decimal: PostgresDecodable {
    /// Parses numeric text exactly; refuses values with more than 38 significant digits, which
    /// `Decimal` cannot hold exactly, and Infinity.
    public static func decode(postgresText text: String?, column: String) throws(StoreError) -> Decimal {
        let text = try required(text, column)
        if text == "NaN" { return .nan }
        var significant = ""
        var seenPoint = false
        for (offset, character) in text.enumerated() {
            switch character {
            case "-" where offset == 0, "+" where offset == 0: continue
            case "." where !seenPoint: seenPoint = true
            case "0"..."9": significant.append(character)
            default: throw mismatch(text, column)
            }
        }
        let trimmed = significant.drop(while: { $0 == "0" }).reversed().drop(while: { $0 == "0" })
        guard !significant.isEmpty else { throw mismatch(text, column) }
        guard trimmed.count <= 38 else {
            throw mismatch(text, column, " exactly (more than 38 significant digits)")
        }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw mismatch(text, column)
        }
        return value
    }
}

extension UUID: PostgresDecodable {
    public static func decode(postgresText text: String?, column: String) throws(StoreError) -> UUID {
        try parsing(text, column) { UUID(uuidString: $0) }
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// Parses bytea hex output (`\x0a1b…`).
    public static func decode(postgresText text: String?, column: String) throws(StoreError) -> [UInt8] {
        let text = try required(text, column)
        let bytes = Array<UInt8>(text.utf8)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0 else {
            throw mismatch(text, column, " (expected bytea hex output)")
        }
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 48...57: return byte - 48
            case 97...102: return byte - 87
            case 65...70: return byte - 55
            default: return nil
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity((bytes.count - 2) / 2)
        var index = 2
        while index < bytes.count {
            guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else {
                throw mismatch(text, column)
            }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }
}
