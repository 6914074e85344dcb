import TallyCore
import TallyPresentation

extension Language {
    /// A message the client runtime (or an earlier server answer kept in the outbox) said, in this
    /// language when the message catalog knows it ("cannot reach …: connection refused" →
    /// "无法连接 …：连接被拒绝"); unchanged otherwise.
    func says(_ message: String) -> String {
        MessageRendering.render(message, in: self == .zh ? .zh : .en)
    }

    /// "The server cannot be reached" with the runtime's reason, said once in this language.
    func unreachable(_ message: String) -> String {
        let said = says(message)
        return pick(zh: said.hasPrefix("无法连接") ? said : "无法连接服务器：\(said)",
                    en: said.hasPrefix("cannot reach") ? said : "server unavailable: \(said)")
    }
}
