/// Shortening of texts that go into STATUS and GOAWAY messages, so that user input echoed in an error
/// never makes a frame large (SPEC §8: every frame respects the peer's max_frame_size).
public enum StatusText {
    /// How many characters of user input a message quotes at most.
    public static let quotedCharacters = 64

    /// `value` in double quotes for a status message, cut to ``quotedCharacters`` characters plus
    /// "…" when longer: `target "abc…" does not exist`.
    public static func quote(_ value: String, maxCharacters: Int = quotedCharacters) -> String {
        "\"" + excerpt(value, maxCharacters: maxCharacters) + "\""
    }

    /// `value` cut to ``quotedCharacters`` characters plus "…" when longer, without quotes
    /// (`unknown method /x.Y/Z`).
    public static func excerpt(_ value: String, maxCharacters: Int = quotedCharacters) -> String {
        value.count > maxCharacters ? value.prefix(maxCharacters) + "…" : value
    }

    /// `text` cut to at most `maxBytes` bytes of UTF-8, at a character boundary, ending in "…" when
    /// cut ("" when not even that fits).
    public static func truncated(_ text: String, maxBytes: Int) -> String {
        guard text.utf8.count > maxBytes else { return text }
        let ellipsis = "…"
        let budget = maxBytes - ellipsis.utf8.count
        guard budget > 0 else { return "" }
        var used = 0
        var end = text.startIndex
        for character in text {
            let size = character.utf8.count
            if used + size > budget { break }
            used += size
            end = text.index(after: end)
        }
        return String(text[..<end]) + ellipsis
    }
}
