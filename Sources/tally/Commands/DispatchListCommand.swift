import ArgumentParser
import TallyPresentation

/// `tally dispatch list`: every 调度 request with who answered and who is overdue.
struct DispatchListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List 调度 requests: who answered, who is overdue (at the server's now).",
        discussion: """
        Example:
          tally dispatch list
          tally dispatch list --all
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Closed requests too.")
    var all = false

    func run() async throws {
        let (response, names, lang) = try await connection.callNaming { try await $0.listDispatches(includeClosed: all) }
        guard !response.dispatches.isEmpty else {
            Console.out(lang.pick(zh: "没有调度。", en: "No dispatches."))
            return
        }
        Console.out(lang.pick(zh: "截至 \(OfficeFormat.dateTime(unixMs: response.nowUnixMs))：",
                              en: "As of \(OfficeFormat.dateTime(unixMs: response.nowUnixMs)) CST:"))
        for dispatch in response.dispatches {
            Console.out(OfficeText.dispatch(dispatch, lang: lang, names: names))
            Console.out("")
        }
        Console.out(TextTable.render(
            header: [lang.pick(zh: "部门", en: "Department"), lang.pick(zh: "按时答复", en: "On time"),
                     lang.pick(zh: "逾期答复", en: "Late"), lang.pick(zh: "逾期未答", en: "Overdue"), lang.pick(zh: "待答复", en: "Open")],
            rows: response.standing.map { [names[$0.department] ?? $0.department, "\($0.answeredOnTime)", "\($0.answeredLate)", "\($0.overdue)", "\($0.open)"] },
            rightAligned: [1, 2, 3, 4]))
    }
}
