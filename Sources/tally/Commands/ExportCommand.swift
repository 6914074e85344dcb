import ArgumentParser
import Foundation
import TallyMessages
import TallyPresentation

/// `tally export`: the dashboard as CSV, JSON or a self-contained HTML report.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the dashboard as CSV, JSON or one self-contained HTML file with charts.",
        discussion: """
        The HTML holds inline SVG bar charts (completion by department and line, investment by \
        stage) and opens in a browser with no network. Without --output it writes to standard output.

        Example:
          tally export --format html --output 进度看板.html --as-of 2023-11-27
          tally export --format csv --lang en > dashboard.csv
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json, html
    }

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "csv, json or html.")
    var format: Format = .html

    @Option(name: .long, help: "File to write (default: standard output).")
    var output: String?

    @OptionGroup var view: DashboardViewOptions

    func run() async throws {
        let settings = try connection.settings()
        let lang = settings.language
        let progress = ProgressReporter(enabled: true, lang: lang)
        let dashboard = try await connection.withAuthenticatedClient(settings) { client in
            progress.step(lang.pick(zh: "从 \(client.address) 获取看板", en: "fetching the dashboard from \(client.address)"))
            return try await client.dashboard(asOf: view.date, campaign: view.campaign)
        }
        let text: String
        switch format {
        case .csv: text = TabularExport.csv(dashboard, lang: lang)
        case .json: text = try TabularExport.json(dashboard)
        case .html: text = HTMLExport(lang: lang).render(dashboard)
        }
        guard let output else {
            Console.write(text)
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CLIError(.usage, lang.pick(zh: "无法写入 \(output)：\(error.localizedDescription)", en: "cannot write \(output): \(error.localizedDescription)"))
        }
        progress.step(lang.pick(zh: "已写入 \(output)（\(text.utf8.count) 字节）", en: "wrote \(output) (\(text.utf8.count) bytes)"))
    }
}
