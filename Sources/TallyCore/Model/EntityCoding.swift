import Foundation

/// Coding helpers for entity JSON: decimals are JSON strings parsed with `Decimal(exact:)`,
/// timestamps are ISO 8601 strings, and optional keys fall back to the column defaults.
extension KeyedDecodingContainer {
    /// Stored numerics may carry more digits than inputs may (PostgreSQL arithmetic); still exact text.
    private func parseStored(_ text: String) -> Decimal? {
        Decimal(exact: text, maxIntegerDigits: 20, maxFractionDigits: 18)
    }

    /// A decimal stored as a JSON string ("190", "0.35"); never decoded through Double.
    func decodeExact(_ key: Key) throws -> Decimal {
        let text = try decode(String.self, forKey: key)
        guard let value = parseStored(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an exact decimal: \(text)")
        }
        return value
    }

    /// A nullable decimal string; a missing key reads as null.
    func decodeExactIfPresent(_ key: Key) throws -> Decimal? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let value = parseStored(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an exact decimal: \(text)")
        }
        return value
    }

    /// A decimal string, or `fallback` when the key is missing.
    func decodeExact(_ key: Key, default fallback: Decimal) throws -> Decimal {
        try decodeExactIfPresent(key) ?? fallback
    }

    /// An ISO 8601 timestamp string.
    func decodeTimestamp(_ key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an ISO 8601 timestamp: \(text)")
        }
        return date
    }

    /// A nullable ISO 8601 timestamp string.
    func decodeTimestampIfPresent(_ key: Key) throws -> Date? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeTimestamp(key)
    }

    /// A value, or `fallback` when the key is missing or null.
    func decode<T: Decodable>(_ key: Key, default fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}

extension KeyedEncodingContainer {
    /// Encodes a decimal as its exact string.
    mutating func encodeExact(_ value: Decimal, forKey key: Key) throws {
        try encode(value.exactString, forKey: key)
    }

    /// Encodes a nullable decimal as its exact string or JSON null.
    mutating func encodeExact(_ value: Decimal?, forKey key: Key) throws {
        if let value { try encode(value.exactString, forKey: key) } else { try encodeNil(forKey: key) }
    }

    /// Encodes a nullable instant as ISO 8601 text in CST, omitting it when nil.
    mutating func encodeTimestamp(_ value: Date?, forKey key: Key) throws {
        if let value { try encode(Timestamp.format(value), forKey: key) }
    }
}

/// JSON text of entities, the form stored in change_log.entity.
public enum EntityJSON {
    /// Encodes a record as compact JSON with sorted keys.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes a record from JSON text.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
