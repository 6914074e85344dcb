import Foundation

/// Exact decimal text for quantities and money: the only way figures enter or leave Tally.
///
/// Accepted form: an optional `-`, 1 to 18 integer digits, optionally `.` and 1 to 6 fraction digits.
/// No exponent, no `+`, no spaces, no grouping, no NaN or infinity. Parsing never goes through `Double`.
extension Decimal {
    /// Most integer digits `init(exact:)` accepts (values stay well inside PostgreSQL numeric and Decimal).
    public static let exactMaxIntegerDigits = 18
    /// Most fraction digits `init(exact:)` accepts.
    public static let exactMaxFractionDigits = 6

    /// Parses strict decimal text ("190", "0.35", "-2.5"); nil for anything else.
    public init?(exact text: String) {
        self.init(exact: text, maxIntegerDigits: Decimal.exactMaxIntegerDigits,
                  maxFractionDigits: Decimal.exactMaxFractionDigits)
    }

    /// Parses decimal text of the same strict form with other digit limits (stored values read back
    /// from PostgreSQL may carry more fraction digits than inputs are allowed).
    public init?(exact text: String, maxIntegerDigits: Int, maxFractionDigits: Int) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let integerPart = parts.first, !integerPart.isEmpty, integerPart.count <= maxIntegerDigits,
              integerPart.allSatisfy(Self.isASCIIDigit) else { return nil }
        let fractionPart = parts.count == 2 ? parts[1] : []
        if parts.count == 2 {
            guard !fractionPart.isEmpty, fractionPart.count <= maxFractionDigits,
                  fractionPart.allSatisfy(Self.isASCIIDigit) else { return nil }
        }
        // All digits form the significand, the fraction length the exponent: exact, locale free,
        // never a binary float.
        let significand = Self.significand(of: integerPart + fractionPart)
        let sign: FloatingPointSign = negative && !significand.isZero ? .minus : .plus
        self.init(sign: sign, exponent: -fractionPart.count, significand: significand)
    }

    /// Plain decimal text of the value: no exponent, no trailing fraction zeros, "0" for zero ("190", "0.35").
    ///
    /// NaN has no exact text and yields "NaN"; Tally never stores one because `init(exact:)` rejects it.
    public var exactString: String {
        DecimalParts(self)?.text ?? describedExactString
    }

    /// ``exactString`` made from `description` (where the storage cannot be read; and tests compare).
    var describedExactString: String {
        if isNaN { return "NaN" }
        if isZero { return "0" }
        var text = description
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// The value rounded half away from zero to `scale` fraction digits (1 for percentages).
    public func rounded(scale: Int) -> Decimal {
        var source = self
        var result = Decimal()
        NSDecimalRound(&result, &source, scale, .plain)
        return result
    }

    /// The whole number the ASCII digits spell: summed as an integer when it fits (up to 19 digits),
    /// else digit by digit in `Decimal` (``significandInDecimal(of:)``).
    static func significand<Digits: Collection<UInt8>>(of digits: Digits) -> Decimal {
        guard digits.count <= 19 else { return significandInDecimal(of: digits) }
        return Decimal(digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 48) })
    }

    /// The whole number the ASCII digits spell, in `Decimal` arithmetic.
    static func significandInDecimal<Digits: Collection<UInt8>>(of digits: Digits) -> Decimal {
        digits.reduce(Decimal(0)) { $0 * 10 + Decimal(Int($1) - 48) }
    }

    private static func isASCIIDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
