/// A PostgreSQL SQLSTATE error code, an open set of five-character strings with named constants
/// for the codes Tally handles (see the "PostgreSQL Error Codes" appendix).
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The two-character class (e.g. "23" integrity constraint violation).
    public var errorClass: String { String(rawValue.prefix(2)) }
    public var description: String { rawValue }

    public static let uniqueViolation = SQLState("23505")
    public static let foreignKeyViolation = SQLState("23503")
    public static let notNullViolation = SQLState("23502")
    public static let checkViolation = SQLState("23514")
    public static let exclusionViolation = SQLState("23P01")
    public static let serializationFailure = SQLState("40001")
    public static let deadlockDetected = SQLState("40P01")
    public static let undefinedTable = SQLState("42P01")
    public static let undefinedColumn = SQLState("42703")
    public static let syntaxError = SQLState("42601")
    public static let invalidTextRepresentation = SQLState("22P02")
    public static let numericValueOutOfRange = SQLState("22003")
    public static let divisionByZero = SQLState("22012")
    public static let readOnlySQLTransaction = SQLState("25006")
    public static let inFailedSQLTransaction = SQLState("25P02")
    public static let invalidSQLStatementName = SQLState("26000")
    public static let featureNotSupported = SQLState("0A000")
    public static let queryCanceled = SQLState("57014")
    public static let adminShutdown = SQLState("57P01")
    public static let crashShutdown = SQLState("57P02")
    public static let cannotConnectNow = SQLState("57P03")
    public static let tooManyConnections = SQLState("53300")
    public static let diskFull = SQLState("53100")
    public static let outOfMemory = SQLState("53200")
    public static let lockNotAvailable = SQLState("55P03")
    public static let invalidCatalogName = SQLState("3D000")
    public static let invalidPassword = SQLState("28P01")

    /// Codes after which the same transaction may succeed when run again.
    static let retryable: Set<SQLState> = [
        .serializationFailure, .deadlockDetected, .adminShutdown, .crashShutdown, .cannotConnectNow,
    ]
}
