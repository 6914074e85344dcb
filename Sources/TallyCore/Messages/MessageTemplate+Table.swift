extension MessageTemplate {
    /// The templates of a catalog's text: each entry is its code on a line of its own, then indented
    /// `en:` and `zh:` lines, and a `pattern:` line first when the English text is not its own
    /// pattern (`init(_:en:zh:)`); a line starting with `#` is a comment.
    static func table(_ text: String) -> [MessageTemplate] {
        var templates: [MessageTemplate] = []
        var code = ""
        var fields: [Substring: String] = [:]
        func finish() {
            guard !code.isEmpty else { return }
            let en = fields["en"] ?? "", zh = fields["zh"] ?? ""
            templates.append(fields["pattern"].map { MessageTemplate(code, $0, en: en, zh: zh) }
                             ?? MessageTemplate(code, en: en, zh: zh))
        }
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard line.hasPrefix(" ") else {
                finish()
                code = String(line)
                fields = [:]
                continue
            }
            let field = line.drop { $0 == " " }
            guard let colon = field.firstIndex(of: ":") else { continue }
            fields[field[..<colon]] = String(field[field.index(after: colon)...].dropFirst())
        }
        finish()
        return templates
    }
}
