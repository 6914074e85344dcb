import ArgumentParser
import Foundation
import TallyPresentation

/// `tally`: the root command. Each subcommand lives in its own file under Commands/.
@main
struct TallyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tally",
        abstract: "Report and watch the progress of the 2023 创新突破年 campaign.",
        discussion: """
        A server (`tally serve`) keeps the plan and every report in PostgreSQL. Departments report \
        with a department token; the central office watches the live dashboard with a central token.

        Example: start a server, create a token, report, and look at the dashboard:
          tally serve &
          tally credential create --name 填报员 --role department \\
              --department marine-hitech
          tally report target marine-hitech/hq/new-hq-projects --add 1 --token TOKEN
          tally dashboard --once --token CENTRAL_TOKEN

        Settings come from flags, then the environment (TALLY_SERVER, TALLY_TOKEN, \
        TALLY_DATABASE_URL, TALLY_HOME, TALLY_LANG), then a config file (--config FILE, ./tally.conf \
        or ~/.config/tally/config with `key = value` lines: server, token, database, lang, home).

        \(ExitStatus.helpTable)
        """,
        version: "1.0.0",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, SeedCommand.self, CredentialCommand.self,
            ReportCommand.self, ListCommand.self, ImportCommand.self,
            DashboardCommand.self, ExportCommand.self, DemoCommand.self, ConfigCommand.self, BenchCommand.self,
            OutboxCommand.self, SyncCommand.self,
        ]
    )

    /// Parses, runs, and turns every failure into a message and a documented exit code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            Console.err(error.message)
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
                Console.err(fullMessage(for: error))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            let mapped = CLIError.from(error, lang: guessedLanguage)
            Console.err(mapped.message)
            Foundation.exit(mapped.status.rawValue)
        }
    }

    /// The language for errors raised before a command could read its settings.
    private static var guessedLanguage: Language {
        let arguments = CommandLine.arguments
        if let index = arguments.firstIndex(of: "--lang"), index + 1 < arguments.count,
           let lang = Language(code: arguments[index + 1]) { return lang }
        return ProcessInfo.processInfo.environment["TALLY_LANG"].flatMap { Language(code: $0) } ?? .zh
    }
}
