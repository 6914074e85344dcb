/// How one field of a record's JSON is read and written when it is not plain `Codable`: an exact
/// decimal kept as a string, a timestamp, a value given when the key is missing. A record marks
/// such a field with ``Coded`` (through the names in EntityFields.swift) and Swift synthesizes its
/// `Codable`; the text produced and accepted is that of the database's `tally_*_json` functions.
public protocol EntityField {
    /// The record's value.
    associatedtype Value: Sendable & Hashable
    /// What the JSON holds for it (the decimal's string, the instant's milliseconds).
    associatedtype Stored: StoredJSON
    /// The value of a missing or null key; nil when the key is required.
    static var absent: Value? { get }
    /// Whether a value without stored form (`stored(of:)` nil) is written as null, rather than left out.
    static var writesNull: Bool { get }
    /// What a stored value must be, for the error naming a bad one ("an exact decimal").
    static var expected: String { get }
    /// The value of what the JSON holds; nil when it is not `expected`.
    static func value(of stored: Stored) -> Value?
    /// What the JSON holds for the value; nil for none (null or no key, by `writesNull`).
    static func stored(of value: Value) -> Stored?
}

extension EntityField {
    public static var absent: Value? { nil }
    public static var writesNull: Bool { false }
    public static var expected: String { "a valid \(Value.self)" }
}

extension EntityField where Stored == Value {
    public static func value(of stored: Stored) -> Value? { stored }
    public static func stored(of value: Value) -> Stored? { value }
}

/// A record's field read and written by `Field` (see ``EntityField``).
@propertyWrapper
public struct Coded<Field: EntityField>: Sendable, Hashable {
    /// The record's value of the field.
    public var wrappedValue: Field.Value

    /// The field holding `wrappedValue` (what a record's memberwise init and defaults give).
    public init(wrappedValue: Field.Value) {
        self.wrappedValue = wrappedValue
    }

    fileprivate static func value(of stored: Field.Stored, error: () -> DecodingError) throws -> Self {
        guard let value = Field.value(of: stored) else { throw error() }
        return Self(wrappedValue: value)
    }
}

/// A field inside a record: its key read and written by the record's keyed container directly
/// (what the synthesized `Codable` of a record calls), so a field costs what a hand-written one did.
extension KeyedDecodingContainer {
    /// Reads the field at `key`: `Field.absent` when it is missing or null (else an error), else its stored form.
    public func decode<Field>(_ type: Coded<Field>.Type, forKey key: Key) throws -> Coded<Field> {
        let stored: Field.Stored
        if let absent = Field.absent {
            guard let present = try Field.Stored.readIfPresent(key, in: self) else { return Coded(wrappedValue: absent) }
            stored = present
        } else {
            stored = try Field.Stored.read(key, in: self)
        }
        return try Coded.value(of: stored) {
            DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not \(Field.expected): \(stored)")
        }
    }
}

extension KeyedEncodingContainer {
    /// Writes the field at `key`: its stored form, else null or nothing, as `Field.writesNull` says.
    public mutating func encode<Field>(_ value: Coded<Field>, forKey key: Key) throws {
        if let stored = Field.stored(of: value.wrappedValue) {
            try encode(stored, forKey: key)
        } else if Field.writesNull {
            try encodeNil(forKey: key)
        }
    }
}

/// A field on its own (outside a record's keyed container), for completeness: null stands for a missing key.
extension Coded: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let absent = Field.absent, container.decodeNil() {
            self.init(wrappedValue: absent)
            return
        }
        let stored = try container.decode(Field.Stored.self)
        self = try Self.value(of: stored) {
            DecodingError.dataCorruptedError(in: container, debugDescription: "not \(Field.expected): \(stored)")
        }
    }
}

extension Coded: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let stored = Field.stored(of: wrappedValue) { try container.encode(stored) } else { try container.encodeNil() }
    }
}

/// What a field's JSON holds, read through the keyed container's own method for its type where
/// that matters (a string: exact decimals and timestamps are strings, read on every record decoded).
public protocol StoredJSON: Codable {
    /// The value at `key` (missing or null: an error).
    static func read<Key>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> Self
    /// The value at `key`, nil when it is missing or null.
    static func readIfPresent<Key>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> Self?
}

extension StoredJSON {
    public static func read<Key>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> Self {
        try container.decode(Self.self, forKey: key)
    }

    public static func readIfPresent<Key>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> Self? {
        try container.decodeIfPresent(Self.self, forKey: key)
    }
}

extension String: StoredJSON {
    public static func read<Key>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> String {
        try container.decode(String.self, forKey: key)
    }

    public static func readIfPresent<Key>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> String? {
        try container.decodeIfPresent(String.self, forKey: key)
    }
}

extension Int: StoredJSON {}
extension Int64: StoredJSON {}
extension Array: StoredJSON where Element: Codable {}
