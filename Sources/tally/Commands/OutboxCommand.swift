import ArgumentParser
import Foundation
import TallyOutbox
import TallyPresentation

/// `tally outbox`: what waits to be sent and what the server refused; drop or retry one item.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List queued and failed reports (the outbox); drop or retry one.",
        discussion: """
        A report that cannot reach the server waits in the outbox ($TALLY_HOME/outbox.sqlite) and is \
        sent, in the order made, on the next successful connection or by `tally sync`. A report the \
        server refuses later (stale version, permission, closed period) is kept as failed with the \
        server's message and is not sent again unless you retry it.

        Example:
          tally outbox
          tally outbox retry 7
          tally outbox drop 8
        """,
        subcommands: [OutboxListCommand.self, OutboxDropCommand.self, OutboxRetryCommand.self],
        defaultSubcommand: OutboxListCommand.self
    )
}

/// `tally outbox list`: the items, oldest first.
struct OutboxListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List queued and failed items (--all: delivered ones too).",
        discussion: "Example:\n  tally outbox list --all"
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Also list delivered items.")
    var all = false

    func run() async throws {
        let settings = try global.settings()
        let lang = settings.language
        let outbox = try OutboxSession.open(settings)
        let states: Set<OutboxItem.State> = all ? Set(OutboxItem.State.allCases) : [.queued, .failed]
        let items = try outbox.items(states)
        guard !items.isEmpty else {
            Console.out(lang.pick(zh: "暂存箱为空（\(outbox.path)）", en: "the outbox is empty (\(outbox.path))"))
            return
        }
        let header = lang == .zh ? ["编号", "状态", "填报时间", "请求", "对象", "尝试", "结果"]
            : ["#", "state", "made at", "request", "subject", "tries", "outcome"]
        let rows = items.map { item in
            ["#\(item.id)", label(item.state, lang), OfficeFormat.dateTime(item.madeAt), item.write.method,
             item.write.subject, "\(item.attempts)", outcome(item, lang)]
        }
        Console.out(TextTable.render(header: header, rows: rows, rightAligned: [5]))
    }

    private func label(_ state: OutboxItem.State, _ lang: Language) -> String {
        switch state {
        case .queued: lang.pick(zh: "待发送", en: "queued")
        case .delivered: lang.pick(zh: "已送达", en: "delivered")
        case .failed: lang.pick(zh: "被拒", en: "failed")
        }
    }

    private func outcome(_ item: OutboxItem, _ lang: Language) -> String {
        switch item.state {
        case .delivered:
            let replay = item.replayed ? lang.pick(zh: "（重放确认）", en: " (replay recognised)") : ""
            return lang.pick(zh: "序号 #\(item.sequence ?? 0)", en: "sequence #\(item.sequence ?? 0)") + replay
        case .failed:
            return "\(item.statusCode?.name ?? "?"): \(lang.says(item.message ?? ""))"
        case .queued:
            return item.message.map { lang.pick(zh: "上次：\(lang.says($0))", en: "last try: \($0)") } ?? ""
        }
    }
}

/// `tally outbox drop ID`: never send this item.
struct OutboxDropCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Remove a queued or failed item: it will not be sent.",
        discussion: "Example:\n  tally outbox drop 8"
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var item: OutboxItemArgument

    func run() async throws {
        let (outbox, item, lang) = try self.item.open(try global.settings()) { item, lang in
            item.state != .delivered ? nil : lang.pick(zh: "#\(item.id) 已送达（序号 #\(item.sequence ?? 0)），无需删除",
                                                       en: "#\(item.id) was delivered (sequence #\(item.sequence ?? 0)); there is nothing to drop")
        }
        try outbox.drop(item.id)
        Console.out(lang.pick(zh: "已删除 #\(item.id)（\(item.write.subject)），不会发送",
                              en: "dropped #\(item.id) (\(item.write.subject)); it will not be sent"))
    }
}

/// `tally outbox retry ID`: queue a failed item again (same request id), then deliver.
struct OutboxRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Queue a failed item again, once its cause is fixed, and try to deliver it.",
        discussion: "Example:\n  tally outbox retry 7"
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var item: OutboxItemArgument

    func run() async throws {
        let settings = try connection.settings()
        let (outbox, item, lang) = try self.item.open(settings) { item, lang in
            item.state == .failed ? nil : lang.pick(zh: "#\(item.id) 不是被拒的条目（\(item.state.rawValue)），只能重试被拒的条目",
                                                    en: "#\(item.id) is \(item.state.rawValue), not failed; only a failed item is retried")
        }
        try outbox.retry(item.id)
        Console.out(lang.pick(zh: "#\(item.id) 已重新排队", en: "#\(item.id) is queued again"))
        try await SyncCommand.deliver(outbox, settings, connection)
    }
}
