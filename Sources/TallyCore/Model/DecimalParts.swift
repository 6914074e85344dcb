import Foundation

/// A decimal's exact parts, `±significand × 10^exponent`, so that hot paths (figure and percent
/// text, running sums of completions) work on integers instead of `Decimal` arithmetic, which
/// allocates on every division and rounding.
///
/// FoundationEssentials keeps a `Decimal`'s fields internal, so they are read from its storage
/// (an exponent byte, a byte with the length in 16-bit words and the sign bit, eight little-endian
/// mantissa words). That layout is checked once against the public API (``layoutHolds``); when it
/// does not hold every reader gets nil and its caller computes with `Decimal` as before.
struct DecimalParts: Equatable {
    var negative: Bool
    var significand: UInt128
    var exponent: Int

    /// The parts of `value`; nil for NaN or when the storage layout is not the one checked.
    init?(_ value: Decimal) {
        guard Self.layoutHolds else { return nil }
        self.init(storageOf: value)
    }

    init(negative: Bool, significand: UInt128, exponent: Int) {
        self.negative = negative
        self.significand = significand
        self.exponent = exponent
    }

    private init?(storageOf value: Decimal) {
        var copy = value
        let parts: DecimalParts? = withUnsafeBytes(of: &copy) { raw in
            guard raw.count == 20 else { return nil }
            let length = Int(raw[1] >> 4)
            let negative = raw[1] & 0x08 != 0
            guard length <= 8, !(length == 0 && negative) else { return nil }  // length 0, negative: NaN
            var significand: UInt128 = 0
            for word in stride(from: length - 1, through: 0, by: -1) {
                significand = significand << 16 | UInt128(raw[5 + 2 * word]) << 8 | UInt128(raw[4 + 2 * word])
            }
            return DecimalParts(negative: negative, significand: significand, exponent: Int(Int8(bitPattern: raw[0])))
        }
        guard let parts else { return nil }
        self = parts
    }

    /// Whether reading the storage gives back every sample's value, exponent and sign (and nil for NaN).
    static let layoutHolds: Bool = {
        let samples: [Decimal] = [0, 1, -1, 100, Decimal(1) / Decimal(3) * 100, Decimal(-2) / Decimal(7),
                                  Decimal(sign: .plus, exponent: 3, significand: 5),
                                  Decimal(sign: .minus, exponent: -6, significand: 123_456_789),
                                  Decimal(sign: .plus, exponent: 30, significand: Decimal(UInt64.max))]
        guard DecimalParts(storageOf: .nan) == nil else { return false }
        return samples.allSatisfy { sample in
            guard let parts = DecimalParts(storageOf: sample), let significand = Decimal(string: String(parts.significand))
            else { return false }
            let rebuilt = Decimal(sign: parts.negative ? .minus : .plus, exponent: parts.exponent, significand: significand)
            return rebuilt == sample && (sample.isZero || parts.exponent == sample.exponent)
                && parts.negative == (sample < 0)
        }
    }()

    /// 10^0 ... 10^38 (the largest power of ten below 2^128).
    static let powersOfTen: [UInt128] = (0...38).map { power in (0..<power).reduce(UInt128(1)) { value, _ in value * 10 } }

    /// The value rounded half away from zero to `scale` fraction digits, in units of 10^-scale
    /// (what `NSDecimalRound(_, _, scale, .plain)` gives, times 10^scale); nil when it exceeds Int64.
    func scaled(_ scale: Int) -> Int64? {
        let shift = exponent + scale
        let magnitude: UInt128
        if shift >= 0 {
            guard shift <= 38 else { return significand == 0 ? 0 : nil }
            let (product, overflow) = significand.multipliedReportingOverflow(by: Self.powersOfTen[shift])
            guard !overflow else { return nil }
            magnitude = product
        } else if -shift > 38 {
            magnitude = 0  // below 2^128 / 10^39 < 0.5 units
        } else {
            let divisor = Self.powersOfTen[-shift]
            let (quotient, remainder) = significand.quotientAndRemainder(dividingBy: divisor)
            magnitude = remainder >= divisor - remainder ? quotient + 1 : quotient
        }
        guard magnitude <= UInt128(Int64.max) else { return nil }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    /// floor(value × 10^scale), and whether that is the value exactly; nil when it exceeds Int64.
    func floorScaled(_ scale: Int) -> (floor: Int64, exact: Bool)? {
        let shift = exponent + scale
        var magnitude: UInt128
        let exact: Bool
        if shift >= 0 {
            guard shift <= 38 else { return significand == 0 ? (0, true) : nil }
            let (product, overflow) = significand.multipliedReportingOverflow(by: Self.powersOfTen[shift])
            guard !overflow else { return nil }
            (magnitude, exact) = (product, true)
        } else if -shift > 38 {
            (magnitude, exact) = (0, significand == 0)
        } else {
            let (quotient, remainder) = significand.quotientAndRemainder(dividingBy: Self.powersOfTen[-shift])
            (magnitude, exact) = (quotient, remainder == 0)
        }
        if negative && !exact { magnitude += 1 }
        guard magnitude <= UInt128(Int64.max) else { return nil }
        return (negative ? -Int64(magnitude) : Int64(magnitude), exact)
    }

    /// Plain decimal text: no exponent, no trailing fraction zeros, "0" for zero (``Decimal/exactString``).
    var text: String {
        if significand == 0 { return "0" }
        return Self.text(digits: String(significand), exponent: exponent, negative: negative)
    }

    /// `units × 10^-scale` as plain decimal text (``text``).
    static func text(units: Int64, scale: Int) -> String {
        if units == 0 { return "0" }
        return text(digits: String(units.magnitude), exponent: -scale, negative: units < 0)
    }

    private static func text(digits: String, exponent: Int, negative: Bool) -> String {
        let sign = negative ? "-" : ""
        if exponent >= 0 { return sign + digits + String(repeating: "0", count: exponent) }
        let fractionDigits = -exponent
        var fraction: Substring
        let whole: String
        if digits.count > fractionDigits {
            whole = String(digits.dropLast(fractionDigits))
            fraction = digits.suffix(fractionDigits)
        } else {
            whole = "0"
            fraction = Substring(String(repeating: "0", count: fractionDigits - digits.count) + digits)
        }
        while fraction.last == "0" { fraction.removeLast() }
        return fraction.isEmpty ? sign + whole : sign + whole + "." + fraction
    }
}
