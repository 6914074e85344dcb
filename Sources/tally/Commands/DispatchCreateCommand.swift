import ArgumentParser
import Foundation
import TallyPresentation

/// `tally dispatch create`: a 调度 request to some departments.
struct DispatchCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Send a 调度 request to departments, due at a time (CST).",
        discussion: """
        Example:
          tally dispatch create --title 说明六月投资滞后原因 --to yinzhu \\
              --due "2023-06-15 18:00" --instructions "请附六月报表"
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "What the request is about (one line).")
    var title: String

    @Option(name: .long, help: "What the departments should send.")
    var instructions: String = ""

    @Option(name: .customLong("to"), help: "A department code it goes to (repeat for several).")
    var departments: [String] = []

    @Option(name: .customLong("about"), help: "A target or project id it concerns (repeat for several).")
    var subjects: [String] = []

    @Option(name: .long, help: "Due time, CST: \"2023-06-15 18:00\", or a date (the end of that day).")
    var due: String

    @OptionGroup var retry: RetryOptions

    func validate() throws {
        guard !departments.isEmpty else { throw ValidationError("give at least one --to DEPARTMENT") }
        guard DueTime.parse(due) != nil else { throw ValidationError("--due: `\(due)` is not a time such as \"2023-06-15 18:00\"") }
    }

    func run() async throws {
        guard let dueTime = DueTime.parse(due) else { return }
        let (dispatch, names, lang) = try await connection.callNaming {
            try await $0.createDispatch(title: title, instructions: instructions, departments: departments, subjects: subjects,
                                        due: dueTime, requestID: retry.resolvedRequestID)
        }
        Console.out(lang.pick(zh: "已发出调度 \(dispatch.id)：", en: "Sent dispatch \(dispatch.id):"))
        Console.out(OfficeText.dispatch(dispatch, lang: lang, names: names))
    }
}
