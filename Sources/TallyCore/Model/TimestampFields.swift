import Foundation

/// An instant, required: ISO 8601 text read by ``Timestamp/parse(_:)``, written in CST by ``Timestamp/format(_:)``.
public typealias Instant = Coded<InstantField>
/// An optional instant: missing or null reads as nil, nil leaves the key out.
public typealias InstantIfAny = Coded<InstantIfAnyField>

/// The field of ``Instant``.
public enum InstantField: EntityField {
    public static var expected: String { "an ISO 8601 timestamp" }
    public static func value(of stored: String) -> Date? { Timestamp.parse(stored) }
    public static func stored(of value: Date) -> String? { Timestamp.format(value) }
}

/// The field of ``InstantIfAny``.
public enum InstantIfAnyField: EntityField {
    public static var absent: Date?? { .some(nil) }
    public static var expected: String { InstantField.expected }
    public static func value(of stored: String) -> Date?? { Timestamp.parse(stored).map { .some($0) } }
    public static func stored(of value: Date?) -> String? { value.map(Timestamp.format) }
}
