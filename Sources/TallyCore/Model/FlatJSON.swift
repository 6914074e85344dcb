/// JSON objects whose values are strings, whole numbers, booleans or null (no nesting), read without
/// `JSONDecoder`: the shapes the writer reads on every commit (``WriteOutcome``, a target's entity).
/// Anything else (a nested value, a fraction or exponent, malformed text) reads as nil, and the
/// caller decodes with `JSONDecoder`, which also names what is wrong.
enum FlatJSON {
    enum Value: Equatable {
        case string(String)
        case integer(Int64)
        case bool(Bool)
        case null
    }

    /// An object's members in order: a handful, found by a linear search (cheaper than hashing them).
    struct Object: Sequence {
        private(set) var members: [(key: String, value: Value)] = []

        init(capacity: Int) { members.reserveCapacity(capacity) }

        subscript(key: String) -> Value? { members.first { $0.key == key }?.value }

        func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> { members.makeIterator() }

        /// Adds a member; false when the key is there already.
        mutating func add(_ key: String, _ value: Value) -> Bool {
            if members.contains(where: { $0.key == key }) { return false }
            members.append((key, value))
            return true
        }
    }

    /// The object that is all of `text`.
    static func object(in text: String) -> Object? {
        var reader = Reader(bytes: Array(text.utf8))
        guard let object = reader.object(), reader.atEnd else { return nil }
        return object
    }

    /// The array of objects that is all of `text`.
    static func objects(in text: String) -> [Object]? {
        var reader = Reader(bytes: Array(text.utf8))
        guard reader.take(UInt8(ascii: "[")) else { return nil }
        var objects: [Object] = []
        if !reader.take(UInt8(ascii: "]")) {
            repeat {
                guard let object = reader.object() else { return nil }
                objects.append(object)
            } while reader.take(UInt8(ascii: ","))
            guard reader.take(UInt8(ascii: "]")) else { return nil }
        }
        return reader.atEnd ? objects : nil
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool {
            mutating get {
                skipSpace()
                return index == bytes.count
            }
        }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        /// Takes `byte` (after any space) if it comes next.
        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func object() -> Object? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var object = Object(capacity: 16)  // a target's 13 keys without growing
            if take(UInt8(ascii: "}")) { return object }
            repeat {
                guard take(UInt8(ascii: "\"")), let key = string(), take(UInt8(ascii: ":")), let value = value(),
                      object.add(key, value) else { return nil }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}")) ? object : nil
        }

        mutating func value() -> Value? {
            skipSpace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return string().map(Value.string)
            case UInt8(ascii: "t"): return word("true", .bool(true))
            case UInt8(ascii: "f"): return word("false", .bool(false))
            case UInt8(ascii: "n"): return word("null", .null)
            default: return integer()
            }
        }

        private mutating func word(_ word: String, _ value: Value) -> Value? {
            let expected = Array(word.utf8)
            guard bytes[index...].starts(with: expected) else { return nil }
            index += expected.count
            return value
        }

        /// A whole number: `-`, then `0` or digits without a leading zero; no fraction or exponent.
        private mutating func integer() -> Value? {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digits = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            guard index > digits, bytes[digits] != UInt8(ascii: "0") || index == digits + 1 else { return nil }
            if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
                return nil
            }
            return Int64(String(decoding: bytes[start..<index], as: UTF8.self)).map(Value.integer)
        }

        /// The rest of a string whose opening quote was taken.
        mutating func string() -> String? {
            var start = index
            var text = ""
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    text += String(decoding: bytes[start..<index], as: UTF8.self)
                    index += 1
                    return text
                }
                guard byte >= 0x20 else { return nil }
                if byte == UInt8(ascii: "\\") {
                    text += String(decoding: bytes[start..<index], as: UTF8.self)
                    index += 1
                    guard let escaped = escape() else { return nil }
                    text.unicodeScalars.append(escaped)
                    start = index
                } else {
                    index += 1
                }
            }
            return nil
        }

        /// The character of an escape whose backslash was taken.
        private mutating func escape() -> Unicode.Scalar? {
            guard index < bytes.count else { return nil }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return Unicode.Scalar(byte)
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                guard let unit = hexUnit() else { return nil }
                guard (0xD800...0xDBFF).contains(unit) else { return Unicode.Scalar(unit) }
                // A high surrogate must come with its low one.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { return nil }
                index += 2
                guard let low = hexUnit(), (0xDC00...0xDFFF).contains(low) else { return nil }
                return Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
            default: return nil
            }
        }

        private mutating func hexUnit() -> UInt16? {
            guard index + 4 <= bytes.count, bytes[index..<index + 4].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
                  let unit = UInt16(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else { return nil }
            index += 4
            return unit
        }
    }
}
