import ArgumentParser
import TallyPresentation

/// `tally inbox`: a department's 调度 requests and returned reports.
struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract: "Show the 调度 requests addressed to your department and your returned reports (department token).",
        discussion: """
        Requests still to answer come first. A report the central office returned (审核) is listed \
        with its comment until a corrected report names it (`tally import FILE --resubmits ID`).

        Example:
          tally inbox
          tally answer D3 --text "六月完成3.5亿元" \\
              --add yinzhu/industry/fixed-asset-investment=3.5
        """
    )

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let (inbox, names, lang) = try await connection.callNaming { try await $0.inbox() }
        Console.out(lang.pick(zh: "\(names[inbox.department] ?? inbox.department) 的收件箱（截至 \(OfficeFormat.dateTime(unixMs: inbox.nowUnixMs))）",
                              en: "Inbox of \(names[inbox.department] ?? inbox.department) (as of \(OfficeFormat.dateTime(unixMs: inbox.nowUnixMs)) CST)"))
        if inbox.dispatches.isEmpty && inbox.returned.isEmpty {
            Console.out(lang.pick(zh: "没有调度，也没有退回的报表。", en: "No dispatches and no returned reports."))
            return
        }
        for dispatch in inbox.dispatches {
            Console.out("")
            Console.out(OfficeText.dispatch(dispatch, lang: lang, names: names))
        }
        if !inbox.returned.isEmpty {
            Console.out("")
            Console.out(lang.pick(zh: "退回待更正的报表：", en: "Returned reports to correct:"))
            Console.out(OfficeText.reports(inbox.returned, lang: lang, names: names))
        }
    }
}
