import ArgumentParser
import Foundation
import TallyCore

/// `tally migrate`: applies the schema migrations that are missing.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply missing schema migrations as the owner role and grant the runtime role its privileges.",
        discussion: """
        Run it as the role that owns the schema. Afterwards the runtime role (created if missing, \
        when the owner may create roles) can read and write what serving needs and nothing more: \
        `tally serve --database` then connects as that role. Safe to run again. Without --database \
        the embedded PostgreSQL is migrated (`tally serve` does that by itself).

        Example:
          tally migrate --database postgres://tally_owner@db/tally
          tally migrate --runtime-role tally_app --runtime-password PW
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var db: DatabaseOptions

    @Option(name: .long, help: "The role `tally serve` connects as (default tally_runtime).")
    var runtimeRole: String = RuntimeRole.defaultName

    @Option(name: .long, help: "Password to set for the runtime role. Env: TALLY_RUNTIME_PASSWORD.")
    var runtimePassword: String?

    func run() async throws {
        let runtimeRole = self.runtimeRole
        let runtimePassword = self.runtimePassword ?? ProcessInfo.processInfo.environment["TALLY_RUNTIME_PASSWORD"]
        let settings = try db.settings(global)
        let lang = settings.language
        let progress = ProgressReporter(enabled: true, lang: lang)
        let applied = try await DatabaseTarget.with(settings, progress: progress, mayCreate: true) { target in
            do {
                return try TallyDatabase.migrate(target.configuration, runtimeRole: runtimeRole, runtimePassword: runtimePassword)
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
