import ArgumentParser
import Foundation
import TallyClient
import TallyOutbox
import TallyPresentation
import TallyWire

/// The CLI's side of the offline outbox: the file under the home directory, and sending a write
/// through it (ISSUE 18, Protocol/SPEC.md 11 "Reports made earlier").
enum OutboxSession {
    /// `$TALLY_HOME/outbox.sqlite` (home from the settings, default ./.tally).
    static func path(_ settings: Settings) -> String {
        let home = settings.home.value ?? ".tally"
        let base = URL(fileURLWithPath: home, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return base.appendingPathComponent("outbox.sqlite").standardizedFileURL.path
    }

    /// Opens the outbox file, with the user's message when it cannot be opened.
    static func open(_ settings: Settings) throws -> Outbox {
        let path = path(settings)
        do {
            return try Outbox(path: path)
        } catch {
            throw CLIError(.usage, settings.language.pick(zh: "无法打开暂存箱 \(path)：\(error)",
                                                          en: "cannot open the outbox \(path): \(error)"))
        }
    }

    /// Sends a write through the outbox: delivered (earlier queued writes first), or queued when the
    /// server cannot be reached, which prints "已暂存，待发送 (queued, #N)" and exits with
    /// ``ExitStatus/queued``. A refusal is thrown as the user's error, as without an outbox. Returns
    /// the answer with the language to print it in.
    static func send<Response>(_ write: OutboxWrite, _ connection: ConnectionOptions,
                               _ answer: (OutboxResponse) -> Response?) async throws -> (Response, Language) {
        let settings = try connection.settings()
        let lang = settings.language
        let outbox = try open(settings)
        let client = try connection.authenticatedClient(settings)
        let submission: OutboxSubmission
        do {
            submission = try await outbox.submit(write, using: client)
            await client.close()
        } catch {
            await client.close()
            throw CLIError.from(error, lang: lang)
        }
        switch submission {
        case .queued(let item, let reason):
            Console.out(lang.pick(zh: "已暂存，待发送 (queued, #\(item.id))", en: "queued, #\(item.id): not sent yet"))
            Console.err(lang.pick(
                zh: "\(lang.unreachable(reason.message))；下次连接成功时按顺序发送，或运行 tally sync。暂存箱：\(outbox.path)",
                en: "the server cannot be reached (\(reason.message)); it is sent, in order, on the next successful connection or by `tally sync`. Outbox: \(outbox.path)"))
            throw ExitCode(ExitStatus.queued.rawValue)
        case .delivered(let response, let earlier):
            printEarlier(earlier, lang)
            guard let typed = answer(response) else {
                throw CLIError(.server, lang.pick(zh: "服务器的回答与请求不符", en: "the server's answer does not match the request"))
            }
            return (typed, lang)
        }
    }

    /// One line about earlier queued writes that a delivery sent along.
    static func printEarlier(_ run: OutboxDelivery, _ lang: Language) {
        if !run.delivered.isEmpty {
            Console.out(lang.pick(zh: "已送达此前暂存的 \(run.delivered.count) 条",
                                  en: "delivered \(run.delivered.count) earlier queued write(s)"))
        }
        for item in run.failed {
            Console.err(lang.pick(zh: "#\(item.id) 被服务器拒绝（已保留，见 tally outbox）：\(lang.says(item.message ?? ""))",
                                  en: "#\(item.id) refused by the server (kept, see `tally outbox`): \(item.message ?? "")"))
        }
    }
}
