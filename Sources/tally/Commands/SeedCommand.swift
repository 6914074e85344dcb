import ArgumentParser
import TallyCore

/// `tally seed`: loads the 2023 plan into an empty database.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load the 2023 plan (departments, targets, batches, projects) into an empty database.",
        discussion: """
        Migrates first. Does nothing when the plan is already there.

        Example:
          tally seed --database postgres://tally@localhost/tally
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try db.settings(global)
        let lang = settings.language
        let progress = ProgressReporter(enabled: true, lang: lang)
        let seeded = try await DatabaseTarget.with(settings, progress: progress, mayCreate: true) { target in
            do {
                _ = try TallyDatabase.migrate(target.configuration)
                return try TallyDatabase.seed(target.configuration)
            } catch {
                throw CLIError(.database, lang.pick(zh: "加载计划失败：\(error)", en: "seeding failed: \(error)"))
            }
        }
        Console.out(seeded
            ? lang.pick(zh: "已载入 2023 年计划。", en: "The 2023 plan was loaded.")
            : lang.pick(zh: "计划已存在，未作改动。", en: "The plan is already there; nothing changed."))
    }
}
