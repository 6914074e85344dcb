/// The language a call's messages are rendered in, named by the call's `accept-language`
/// metadata ("zh", "zh-CN", "en-US"...). Without it, or for any other language, messages are English.
public enum MessageLanguage: String, Sendable, CaseIterable {
    case en, zh

    /// The metadata key a client names its language with (see Protocol/SPEC.md, section 6).
    public static let metadataKey = "accept-language"

    /// Reads an `accept-language` value: the first listed language that is Chinese or English.
    public init(metadata value: String?) {
        let first = value?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        self = first.hasPrefix("zh") ? .zh : .en
    }
}
