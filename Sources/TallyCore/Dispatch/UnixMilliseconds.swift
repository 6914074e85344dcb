import Foundation

/// Instants of the office's records travel as Unix milliseconds (Schema/007's `tally_unix_ms`).
public typealias UnixInstant = Coded<UnixInstantField>
/// An optional instant in Unix milliseconds: missing or null reads as nil, nil leaves the key out.
public typealias UnixInstantIfAny = Coded<UnixInstantIfAnyField>

/// The field of ``UnixInstant``.
public enum UnixInstantField: EntityField {
    public static func value(of stored: Int64) -> Date? { Date(timeIntervalSince1970: Double(stored) / 1000) }
    public static func stored(of value: Date) -> Int64? { CivilDate.milliseconds(of: value) }
}

/// The field of ``UnixInstantIfAny``.
public enum UnixInstantIfAnyField: EntityField {
    public static var absent: Date?? { .some(nil) }
    public static func value(of stored: Int64) -> Date?? { .some(UnixInstantField.value(of: stored)) }
    public static func stored(of value: Date?) -> Int64? { value.map(CivilDate.milliseconds(of:)) }
}
