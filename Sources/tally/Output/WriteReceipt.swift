import TallyPresentation

/// What a command prints once the server accepted its change: the line saying what the server
/// stored (marked when the server answered a repeated request with its first result), then the
/// request id, which makes a retry of the same change safe.
enum WriteReceipt {
    static func show(_ line: String, replayed: Bool, requestID: String, _ lang: Language) {
        let replay = replayed ? lang.pick(zh: "（重复请求，返回首次结果）", en: " (repeated request: first result)") : ""
        Console.out(line + replay)
        showRequestID(requestID, lang)
    }

    /// The request id line alone.
    static func showRequestID(_ requestID: String, _ lang: Language) {
        Console.out(lang.pick(zh: "请求编号：\(requestID)", en: "request id: \(requestID)"))
    }
}
