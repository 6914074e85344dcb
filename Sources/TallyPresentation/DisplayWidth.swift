/// Terminal column widths, so tables mixing Chinese and ASCII line up: East Asian wide and
/// fullwidth characters take two columns, combining marks and zero-width characters none.
public enum DisplayWidth {
    /// Columns the string occupies in a terminal ("海洋高新区" is 10).
    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// Columns one character (grapheme cluster) occupies: that of its first visible scalar.
    public static func width(of character: Character) -> Int {
        for scalar in character.unicodeScalars {
            let width = width(of: scalar)
            if width > 0 { return width }
        }
        return 0
    }

    /// Columns of a single scalar: 0, 1 or 2.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value == 0 || isZeroWidth(value) { return 0 }
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        return isWide(value) ? 2 : 1
    }

    /// The string padded with spaces to `width` columns (left-aligned by default); a longer string is
    /// returned unchanged.
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let missing = width - of(text)
        guard missing > 0 else { return text }
        let spaces = String(repeating: " ", count: missing)
        return alignRight ? spaces + text : text + spaces
    }

    /// The string cut to at most `width` columns, ending in "…" when cut; a wide character that would
    /// straddle the limit is dropped rather than split.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard of(text) > width else { return text }
        let room = width - of(ellipsis)
        guard room >= 0 else { return "" }
        var result = ""
        var used = 0
        for character in text {
            let next = self.width(of: character)
            if used + next > room { break }
            result.append(character)
            used += next
        }
        return result + ellipsis
    }

    /// Truncates then pads: exactly `width` columns (a wide character that could not fit leaves a space).
    /// Lines of at most `width` columns, broken at spaces where there are any (Chinese anywhere).
    public static func wrap(_ text: String, to columns: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let pieces = word.allSatisfy({ width(of: $0) == 1 }) ? [word] : word.map(String.init)
            for (index, piece) in pieces.enumerated() {
                let separator = index == 0 && !line.isEmpty ? " " : ""
                let added = of(separator + piece)
                if lineWidth + added > columns, !line.isEmpty {
                    lines.append(line)
                    line = piece
                    lineWidth = of(piece)
                } else {
                    line += separator + piece
                    lineWidth += added
                }
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    public static func fit(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        pad(truncate(text, to: width), to: width, alignRight: alignRight)
    }

    private static func isZeroWidth(_ value: UInt32) -> Bool {
        (0x0300...0x036F).contains(value) || (0x1AB0...0x1AFF).contains(value) || (0x1DC0...0x1DFF).contains(value)
            || (0x20D0...0x20FF).contains(value) || (0xFE20...0xFE2F).contains(value)
            || (0x200B...0x200F).contains(value) || value == 0x2060 || value == 0xFEFF
            || (0xFE00...0xFE0F).contains(value)
    }

    private static func isWide(_ value: UInt32) -> Bool {
        (0x1100...0x115F).contains(value)       // Hangul Jamo initials
            || (0x2E80...0x303E).contains(value) // CJK radicals, punctuation (、。「」)
            || (0x3041...0x33FF).contains(value) // kana, CJK symbols
            || (0x3400...0x4DBF).contains(value) // CJK extension A
            || (0x4E00...0x9FFF).contains(value) // CJK unified ideographs
            || (0xA000...0xA4CF).contains(value) // Yi
            || (0xAC00...0xD7A3).contains(value) // Hangul syllables
            || (0xF900...0xFAFF).contains(value) // CJK compatibility ideographs
            || (0xFE30...0xFE4F).contains(value) // CJK compatibility forms
            || (0xFF00...0xFF60).contains(value) // fullwidth forms (（）：，)
            || (0xFFE0...0xFFE6).contains(value) // fullwidth signs
            || (0x1F300...0x1F64F).contains(value) // pictographs, emoticons
            || (0x1F900...0x1F9FF).contains(value) // supplemental symbols
            || (0x20000...0x2FFFD).contains(value) // CJK extensions B..F
            || (0x30000...0x3FFFD).contains(value) // CJK extension G
    }
}
