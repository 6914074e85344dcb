import Foundation
import TallyWire

/// Checks of request fields, each failing with INVALID_ARGUMENT that names the field.
enum Validation {
    static let maxIdentifierLength = 200
    static let maxTextLength = 2_000
    static let maxUpdates = 1_000

    /// A client request id: required on every write, at most 128 printable characters.
    static func requestID(_ value: String) throws(RPCError) -> String {
        guard !value.isEmpty else {
            throw RPCError(.invalidArgument, "request_id: every write needs a client request id (a UUID is a good choice)")
        }
        guard value.count <= 128 else { throw RPCError(.invalidArgument, "request_id: longer than 128 characters") }
        try noControlCharacters("request_id", value, allowNewlines: false)
        return value
    }

    /// A required identifier such as a target id.
    static func identifier(_ field: String, _ value: String) throws(RPCError) -> String {
        guard !value.isEmpty else { throw RPCError(.invalidArgument, "\(field): required") }
        guard value.count <= maxIdentifierLength else {
            throw RPCError(.invalidArgument, "\(field): longer than \(maxIdentifierLength) characters")
        }
        try noControlCharacters(field, value, allowNewlines: false)
        return value
    }

    /// Free text such as a note: bounded, no control characters except line breaks and tabs.
    static func text(_ field: String, _ value: String, maxLength: Int = maxTextLength) throws(RPCError) -> String {
        guard value.count <= maxLength else {
            throw RPCError(.invalidArgument, "\(field): longer than \(maxLength) characters")
        }
        try noControlCharacters(field, value, allowNewlines: true)
        return value
    }

    /// A name: required, one line, bounded.
    static func name(_ field: String, _ value: String) throws(RPCError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw RPCError(.invalidArgument, "\(field): required") }
        guard trimmed.count <= maxIdentifierLength else {
            throw RPCError(.invalidArgument, "\(field): longer than \(maxIdentifierLength) characters")
        }
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

    private static func noControlCharacters(_ field: String, _ value: String, allowNewlines: Bool) throws(RPCError) {
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
