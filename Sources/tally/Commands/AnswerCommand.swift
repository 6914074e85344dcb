import ArgumentParser
import TallyPresentation

/// `tally answer`: a department answers a 调度 request, optionally with a period report.
struct AnswerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer",
        abstract: "Answer a 调度 request addressed to your department (department token).",
        discussion: """
        The text is required. --set and --add send a period report with the answer: the answer \
        and every update commit together, or none of them.

        Example:
          tally answer D3 --text "六月完成3.5亿元，详见报表" \\
              --add yinzhu/industry/fixed-asset-investment=3.5 --note 六月
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The request's id, e.g. D3 (see `tally inbox`).")
    var dispatchID: String

    @Option(name: .long, help: "The answer's text.")
    var text: String

    @Option(name: .customLong("set"), help: "TARGET=VALUE: set a target's figure in the report sent with the answer (repeatable).")
    var sets: [String] = []

    @Option(name: .customLong("add"), help: "TARGET=VALUE: add to a target's figure in the report sent with the answer (repeatable).")
    var adds: [String] = []

    @Option(name: .long, help: "Note of the report sent with the answer.")
    var note: String = ""

    @OptionGroup var retry: RetryOptions

    func validate() throws {
        if case .failure(let error) = UpdateArguments.updates(set: sets, add: adds) {
            throw ValidationError("`\(error.text)` is not TARGET=VALUE with a decimal value")
        }
    }

    func run() async throws {
        let updates = try UpdateArguments.updates(set: sets, add: adds).get()
        let (response, names, lang) = try await connection.callNaming {
            try await $0.answerDispatch(dispatchID, answer: text, updates: updates, reportNote: note, requestID: retry.resolvedRequestID)
        }
        Console.out(lang.pick(zh: "已答复调度 \(response.dispatch.id)，序号 #\(response.sequence)",
                              en: "Answered dispatch \(response.dispatch.id), sequence #\(response.sequence)"))
        if response.hasReport {
            Console.out(lang.pick(zh: "随答复提交报表 \(response.report.id)（\(response.targets.count + response.projects.count) 项，待审核）",
                                  en: "Report \(response.report.id) sent with it (\(response.targets.count + response.projects.count) updates, submitted for review)"))
        }
        Console.out(OfficeText.dispatch(response.dispatch, lang: lang, names: names))
    }
}
