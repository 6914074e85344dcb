import Foundation

/// A query parameter. Every value is sent in PostgreSQL's text format; all but `.text` and `.null`
/// also send their type (int8, int4, bool, timestamptz, numeric, uuid, bytea) so `SELECT $1`
/// returns the right type, while `.text` lets the server infer it (so it fits varchar, enum, json).
public enum PostgresValue: Sendable, Hashable {
    case null
    case int64(Int64)
    case int32(Int32)
    case text(String)
    case bool(Bool)
    /// Sent as timestamptz in UTC with microsecond precision.
    case timestamp(Date)
    /// Sent as numeric from `Decimal.description`: exact, never through Double.
    case decimal(Decimal)
    case uuid(UUID)
    /// Sent as bytea in hex form (`\x…`).
    case bytes([UInt8])

    /// An `Int` as int8.
    public static func int(_ value: Int) -> PostgresValue { .int64(Int64(value)) }

    /// The text form PostgreSQL parses, or nil for NULL.
    var textValue: String? {
        switch self {
        case .null: return nil
        case .int64(let value): return String(value)
        case .int32(let value): return String(value)
        case .text(let value): return value
        case .bool(let value): return value ? "t" : "f"
        case .timestamp(let value): return PostgresTimestamp.format(value)
        case .decimal(let value): return value.description
        case .uuid(let value): return value.uuidString.lowercased()
        case .bytes(let value):
            let digits = Array("0123456789abcdef".utf8)
            var hex: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
            hex.reserveCapacity(2 + value.count * 2)
            for byte in value {
                hex.append(digits[Int(byte >> 4)])
                hex.append(digits[Int(byte & 0x0f)])
            }
            return String(decoding: hex, as: UTF8.self)
        }
    }

    /// The type OID sent with the parameter (0 = let the server infer it).
    var typeOID: UInt32 {
        switch self {
        case .null, .text: return 0
        case .int64: return 20
        case .int32: return 23
        case .bool: return 16
        case .timestamp: return 1184
        case .decimal: return 1700
        case .uuid: return 2950
        case .bytes: return 17
        }
    }
}

/// A statement with its parameters, for `pipeline`: its text, or the name of a statement the
/// connection has prepared (sent by name, so the server neither parses nor plans it again).
public struct Statement: Sendable {
    public var sql: String
    public var parameters: [PostgresValue]
    /// The name of a statement prepared on the connection (`PREPARE name AS ...`); then `sql` only describes it.
    public var preparedName: String?
    public init(_ sql: String, _ parameters: [PostgresValue] = []) {
        self.sql = sql
        self.parameters = parameters
    }
    public init(sql: String, parameters: [PostgresValue] = []) {
        self.init(sql, parameters)
    }
    /// The statement the connection prepared as `name` (`PREPARE name AS ...`), with these parameters.
    public static func prepared(_ name: String, _ parameters: [PostgresValue] = []) -> Statement {
        var statement = Statement("EXECUTE \(name)", parameters)
        statement.preparedName = name
        return statement
    }
}
