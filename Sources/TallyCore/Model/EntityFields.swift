import Foundation

/// An exact decimal, required: JSON text ("190", "0.35") parsed with `Decimal(exact:)`, never through Double.
public typealias Exact = Coded<ExactDecimalField>
/// An exact decimal that reads as 0 when its key is missing or null.
public typealias ExactOrZero = Coded<ExactDecimalOrZeroField>
/// A nullable exact decimal: missing or null reads as nil, nil is written as null.
public typealias ExactOrNull = Coded<ExactDecimalOrNullField>
/// A plain value that is written as null when nil (a missing key reads as nil).
public typealias OrNull<Wrapped: StoredJSON & Sendable & Hashable> = Coded<OrNullField<Wrapped>>
/// A value that reads as its type's ``FieldDefault`` when its key is missing or null.
public typealias Defaulted<Value: FieldDefault & Sendable & Hashable> = Coded<DefaultedField<Value>>
/// A number that reads as 0 when its key is missing or null.
public typealias DefaultZero<Number: Numeric & StoredJSON & Sendable & Hashable> = Coded<ZeroField<Number>>
/// A number that reads as 1 when its key is missing or null (a first version, a first format).
public typealias DefaultOne<Number: Numeric & StoredJSON & Sendable & Hashable> = Coded<OneField<Number>>
/// A list that reads as empty when its key is missing or null and is left out when empty.
public typealias OmittedIfEmpty<Element: Codable & Sendable & Hashable> = Coded<OmittedIfEmptyField<Element>>

/// The value a field of this type reads as when its key is missing or null.
public protocol FieldDefault: StoredJSON {
    /// The value of a missing or null key.
    static var whenMissing: Self { get }
}

extension String: FieldDefault {
    public static var whenMissing: String { "" }
}

extension Array: FieldDefault where Element: Codable {
    public static var whenMissing: [Element] { [] }
}

/// Decimals stored as text: stored numerics may carry more digits than inputs may (PostgreSQL arithmetic).
public protocol ExactDecimalText: EntityField where Stored == String {}

extension ExactDecimalText {
    public static var expected: String { "an exact decimal" }

    static func decimal(_ text: String) -> Decimal? {
        Decimal(exact: text, maxIntegerDigits: 20, maxFractionDigits: 18)
    }
}

extension ExactDecimalText where Value == Decimal {
    public static func value(of stored: String) -> Decimal? { decimal(stored) }
    public static func stored(of value: Decimal) -> String? { value.exactString }
}

/// The field of ``Exact``.
public enum ExactDecimalField: ExactDecimalText {
    public typealias Value = Decimal
}

/// The field of ``ExactOrZero``.
public enum ExactDecimalOrZeroField: ExactDecimalText {
    public static var absent: Decimal? { 0 }
}

/// The field of ``ExactOrNull``.
public enum ExactDecimalOrNullField: ExactDecimalText {
    public static var absent: Decimal?? { .some(nil) }
    public static var writesNull: Bool { true }
    public static func value(of stored: String) -> Decimal?? { decimal(stored).map { .some($0) } }
    public static func stored(of value: Decimal?) -> String? { value?.exactString }
}

/// The field of ``OrNull``.
public enum OrNullField<Wrapped: StoredJSON & Sendable & Hashable>: EntityField {
    public static var absent: Wrapped?? { .some(nil) }
    public static var writesNull: Bool { true }
    public static func value(of stored: Wrapped) -> Wrapped?? { .some(stored) }
    public static func stored(of value: Wrapped?) -> Wrapped? { value }
}

/// The field of ``Defaulted``.
public enum DefaultedField<Value: FieldDefault & Sendable & Hashable>: EntityField {
    public typealias Stored = Value
    public static var absent: Value? { Value.whenMissing }
}

/// The field of ``DefaultZero``.
public enum ZeroField<Value: Numeric & StoredJSON & Sendable & Hashable>: EntityField {
    public typealias Stored = Value
    public static var absent: Value? { 0 }
}

/// The field of ``DefaultOne``.
public enum OneField<Value: Numeric & StoredJSON & Sendable & Hashable>: EntityField {
    public typealias Stored = Value
    public static var absent: Value? { 1 }
}

/// The field of ``OmittedIfEmpty``.
public enum OmittedIfEmptyField<Element: Codable & Sendable & Hashable>: EntityField {
    public static var absent: [Element]? { [] }
    public static func value(of stored: [Element]) -> [Element]? { stored }
    public static func stored(of value: [Element]) -> [Element]? { value.isEmpty ? nil : value }
}
