import ArgumentParser
import TallyOutbox
import TallyPresentation

/// The `ID` of `tally outbox drop|retry`: one outbox item, found in the outbox file with the user's
/// message when it is not there or not in a state the command can act on.
struct OutboxItemArgument: ParsableArguments {
    @Argument(help: "The item's number (#N in `tally outbox`).")
    var id: Int64

    /// Opens the outbox and finds the item; `refusal` says why the command cannot act on it, or nil.
    func open(_ settings: Settings, refusal: (OutboxItem, Language) -> String?) throws -> (Outbox, OutboxItem, Language) {
        let lang = settings.language
        let outbox = try OutboxSession.open(settings)
        guard let item = try outbox.item(id) else {
            throw CLIError(.usage, lang.pick(zh: "暂存箱中没有 #\(id)（见 tally outbox）", en: "there is no outbox item #\(id) (see `tally outbox`)"))
        }
        if let refusal = refusal(item, lang) { throw CLIError(.usage, refusal) }
        return (outbox, item, lang)
    }
}
