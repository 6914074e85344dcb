import ArgumentParser
import Foundation
import TallyPresentation

/// `tally`: the root command. Each subcommand lives in its own file under Commands/.
@main
struct TallyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tally",
        abstract: "Report and watch the New Area's yearly 创新突破年 campaigns.",
        discussion: """
        A server (`tally serve`) keeps the plan and every report in PostgreSQL. Departments report \
        with a department token; the central office watches the live dashboard with a central token.

        Example: start a server, create a token, report, and look at the dashboard:
          tally serve &
          tally credential create --name 填报员 --role department \\
              --department marine-hitech
          export TALLY_TOKEN=TOKEN
          tally report target marine-hitech/hq/new-hq-projects --add 1
          tally dashboard --once --token CENTRAL_TOKEN

        Settings come from flags, then the environment (TALLY_SERVER, TALLY_TOKEN, \
        TALLY_DATABASE_URL, TALLY_HOME, TALLY_LANG), then a config file (--config FILE, ./tally.conf \
        or ~/.config/tally/config with `key = value` lines: server, token, database, lang, home). \
        The embedded database lives in --home / TALLY_HOME, else ~/.local/share/tally, whatever \
        the working directory.

        \(ExitStatus.helpTable)
        """,
        version: "1.0.0",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, SeedCommand.self, CredentialCommand.self,
            ReportCommand.self, RegisterCommand.self, ListCommand.self, HistoryCommand.self, ImportCommand.self, AdminCommand.self,
            DispatchCommand.self, InboxCommand.self, AnswerCommand.self, ReviewCommand.self,
            DashboardCommand.self, ExportCommand.self, PlanCommand.self, DemoCommand.self, ConfigCommand.self,
            BenchCommand.self,
            OutboxCommand.self, SyncCommand.self, WarningsCommand.self, RankCommand.self,
        ]
    )

    /// Parses, runs, and turns every failure into a message and a documented exit code.
    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        if let first = arguments.first,
           let problem = CommandSuggestion.problem(with: first, among: configuration.subcommands.compactMap { $0.configuration.commandName }) {
            Console.err(UsageCatalog.render(problem, guessedLanguage))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            Console.err(error.status == .usage ? UsageCatalog.render(error.message, guessedLanguage) : error.message)
            Foundation.exit(error.status.rawValue)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Console.out(fullMessage(for: error))
                Foundation.exit(0)
            }
            if code == .validationFailure {
                Console.err(usageMessage(for: error, lang: guessedLanguage))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            let mapped = CLIError.from(error, lang: guessedLanguage)
            Console.err(mapped.message)
            Foundation.exit(mapped.status.rawValue)
        }
    }

    /// The argument parser's "Error: … Usage: … See …" text, in the user's language.
    private static func usageMessage(for error: any Error, lang: Language) -> String {
        let full = fullMessage(for: error)
        guard lang == .zh else { return full }
        let message = self.message(for: error)
        return full.replacingOccurrences(of: "Error: " + message, with: "错误：" + UsageCatalog.render(message, lang))
            .replacingOccurrences(of: "Usage: ", with: "用法：")
            .replacingOccurrences(of: #"See '(.+)' for more information\."#, with: "详见 '$1'。", options: .regularExpression)
    }

    /// The language for messages made before a command could read its settings: --lang, else
    /// TALLY_LANG, else the config file's `lang`, else Chinese.
    private static var guessedLanguage: Language {
        let arguments = CommandLine.arguments
        if let index = arguments.firstIndex(of: "--lang"), index + 1 < arguments.count,
           let lang = Language(code: arguments[index + 1]) { return lang }
        if let lang = arguments.first(where: { $0.hasPrefix("--lang=") }).flatMap({ Language(code: String($0.dropFirst(7))) }) { return lang }
        let environment = ProcessInfo.processInfo.environment
        if let lang = environment["TALLY_LANG"].flatMap({ Language(code: $0) }) { return lang }
        let explicit = arguments.firstIndex(of: "--config").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        let file = try? ConfigFile.load(explicit: explicit, environment: environment)
        return (file ?? nil)?.values["lang"].flatMap { Language(code: $0) } ?? .zh
    }
}
