import Foundation
import TallyWire

/// Checks of request fields, each failing with INVALID_ARGUMENT that names the field.
/// Sizes are counted in UTF-8 bytes (what the database stores and indexes), never in characters:
/// one character may be many bytes, and an index entry has a byte limit.
enum Validation {
    static let maxRequestIDBytes = 128
    static let maxIdentifierBytes = 200
    static let maxTextBytes = 2_000
    static let maxUpdates = 1_000

    /// A client request id: required on every write, at most 128 bytes of printable UTF-8.
    static func requestID(_ value: String) throws(RPCError) -> String {
        guard !value.isEmpty else {
            throw RPCError(.invalidArgument, "request_id: every write needs a client request id (a UUID is a good choice)")
        }
        try bounded("request_id", value, maxBytes: maxRequestIDBytes)
        try noControlCharacters("request_id", value, allowNewlines: false)
        return value
    }

    /// A required identifier such as a target id.
    static func identifier(_ field: String, _ value: String) throws(RPCError) -> String {
        guard !value.isEmpty else { throw RPCError(.invalidArgument, "\(field): required") }
        try bounded(field, value, maxBytes: maxIdentifierBytes)
        try noControlCharacters(field, value, allowNewlines: false)
        return value
    }

    /// Free text such as a note: bounded, no control characters except line breaks and tabs.
    static func text(_ field: String, _ value: String, maxBytes: Int = maxTextBytes) throws(RPCError) -> String {
        try bounded(field, value, maxBytes: maxBytes)
        try noControlCharacters(field, value, allowNewlines: true)
        return value
    }

    /// A name: required, one line, bounded.
    static func name(_ field: String, _ value: String) throws(RPCError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw RPCError(.invalidArgument, "\(field): required") }
        try bounded(field, trimmed, maxBytes: maxIdentifierBytes)
        try noControlCharacters(field, trimmed, allowNewlines: false)
        return trimmed
    }

    /// An exact decimal figure given as a string ("12.5"); NaN, infinities and exponents are refused.
    static func decimal(_ field: String, _ value: String, allowNegative: Bool) throws(RPCError) -> String {
        guard let number = Decimal(exact: value) else {
            throw RPCError(.invalidArgument,
                "\(field): \(StatusText.quote(value)) is not a decimal number (digits with an optional point, up to 18 integer and 6 fractional digits)")
        }
        if !allowNegative && number < 0 {
            throw RPCError(.invalidArgument, "\(field): must not be negative (got \(StatusText.quote(value)))")
        }
        return number.exactString
    }

    /// An optional decimal: empty means "not given".
    static func optionalDecimal(_ field: String, _ value: String, allowNegative: Bool) throws(RPCError) -> String? {
        value.isEmpty ? nil : try decimal(field, value, allowNegative: allowNegative)
    }

    /// Refuses a value over `maxBytes` UTF-8 bytes, naming the field and both sizes.
    static func bounded(_ field: String, _ value: String, maxBytes: Int) throws(RPCError) {
        let bytes = value.utf8.count
        guard bytes <= maxBytes else {
            throw RPCError(.invalidArgument, "\(field): \(bytes) bytes long, at most \(maxBytes) bytes (UTF-8) allowed")
        }
    }

    private static func noControlCharacters(_ field: String, _ value: String, allowNewlines: Bool) throws(RPCError) {
        // Printable ASCII (most ids and figures) holds no control or format character: no Unicode lookup.
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return }
        for scalar in value.unicodeScalars {
            let allowed = allowNewlines && (scalar == "\n" || scalar == "\t" || scalar == "\r")
            if !allowed && (scalar.properties.generalCategory == .control
                || scalar.properties.generalCategory == .format && scalar.value != 0x200D) {
                throw RPCError(.invalidArgument,
                    "\(field): contains the control character U+\(String(scalar.value, radix: 16, uppercase: true))")
            }
        }
    }
}
