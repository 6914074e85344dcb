import ArgumentParser
import TallyCore

/// `tally migrate`: applies the schema migrations that are missing.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply missing schema migrations to the database.",
        discussion: """
        Safe to run again: applied migrations are skipped. `tally serve` migrates by itself.

        Example:
          tally migrate --database postgres://tally@localhost/tally
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try db.settings(global)
        let lang = settings.language
        let progress = ProgressReporter(enabled: true, lang: lang)
        let applied = try await DatabaseTarget.with(settings, progress: progress, mayCreate: true) { target in
            do {
                return try TallyDatabase.migrate(target.configuration)
            } catch {
                throw CLIError(.database, lang.pick(zh: "迁移失败：\(error)", en: "migration failed: \(error)"))
            }
        }
        if applied.isEmpty {
            Console.out(lang.pick(zh: "数据库结构已是最新。", en: "The schema is up to date."))
        } else {
            let list = applied.map(String.init).joined(separator: ", ")
            Console.out(lang.pick(zh: "已应用迁移：\(list)", en: "Applied migrations: \(list)"))
        }
    }
}
