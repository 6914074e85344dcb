import ArgumentParser
import Foundation
import TallyOutbox
import TallyPresentation
import TallyWire

/// `tally sync`: delivers the outbox now.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Send the queued reports now, in the order they were made.",
        discussion: """
        Each queued report is sent with its own request id, so one that reached the server before \
        (its answer lost) is recognised and not counted twice. A report the server refuses is kept \
        as failed (see `tally outbox`). Exit code 0 when nothing is left queued, 75 when the server \
        still cannot be reached, 2 when a report was refused, 4 when the token is (reports stay queued).

        Example:
          tally sync
        """
    )

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let settings = try connection.settings()
        try await Self.deliver(try OutboxSession.open(settings), settings, connection)
    }

    /// Delivers the outbox for the configured server and prints what happened.
    static func deliver(_ outbox: Outbox, _ settings: Settings, _ connection: ConnectionOptions) async throws {
        let lang = settings.language
        let client = try connection.authenticatedClient(settings)
        let run = await outbox.deliver(using: client)
        await client.close()
        let replays = run.delivered.filter(\.replayed).count
        let replayNote = replays > 0 ? lang.pick(zh: "（其中 \(replays) 条服务器已收到，重放确认）",
                                                 en: " (\(replays) already received: replay recognised)") : ""
        Console.out(lang.pick(zh: "已送达 \(run.delivered.count) 条\(replayNote)，被拒 \(run.failed.count) 条，仍待发送 \(run.remaining) 条",
                              en: "delivered \(run.delivered.count)\(replayNote), refused \(run.failed.count), still queued \(run.remaining)"))
        for item in run.failed {
            Console.err(lang.pick(zh: "#\(item.id) 被拒（已保留）：\(lang.says(item.message ?? ""))",
                                  en: "#\(item.id) refused (kept): \(item.message ?? "")"))
        }
        if let stopped = run.stoppedBy, stopped.code == .unauthenticated {
            throw CLIError.from(rpc: stopped, lang: lang)
        }
        if let stopped = run.stoppedBy, run.remaining > 0 {
            Console.err(lang.unreachable(stopped.message))
            throw ExitCode(ExitStatus.queued.rawValue)
        }
        if !run.failed.isEmpty { throw ExitCode(ExitStatus.server.rawValue) }
    }
}
