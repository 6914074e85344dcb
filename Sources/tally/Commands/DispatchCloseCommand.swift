import ArgumentParser
import TallyPresentation

/// `tally dispatch close`: ends a 调度 request.
struct DispatchCloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a 调度 request: it takes no more answers.",
        discussion: """
        Example:
          tally dispatch close D3
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The request's id, e.g. D3 (see `tally dispatch list`).")
    var dispatchID: String

    @OptionGroup var retry: RetryOptions

    func run() async throws {
        let (dispatch, names, lang) = try await connection.callNaming { try await $0.closeDispatch(dispatchID, requestID: retry.resolvedRequestID) }
        Console.out(lang.pick(zh: "已关闭调度 \(dispatch.id)。", en: "Closed dispatch \(dispatch.id)."))
        Console.out(OfficeText.dispatch(dispatch, lang: lang, names: names))
    }
}
