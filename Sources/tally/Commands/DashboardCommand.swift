import ArgumentParser
import Foundation
import TallyClient
import TallyMessages
import TallyPresentation

/// `tally dashboard`: the central office's live view.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Live dashboard: completion by department and line, red/amber/green (central token).",
        discussion: """
        Redraws as changes arrive (it reconnects by itself and misses nothing), fitted to the \
        terminal: the summary first (overall, 本期未上报, departments), the other sections paged \
        with 1-5, ←/→ or n/p; q quits. Colours are off when the output is not a terminal or \
        NO_COLOR is set. --once prints one snapshot (every section, or the one --section names). \
        --as-of shows the figures as they stood at the end of that day, replayed from the change log. \
        --campaign watches another campaign (live too: its own totals).

        Example:
          tally dashboard --once --as-of 2023-11-27
          tally dashboard --section targets
          tally dashboard --campaign 2024
          tally dashboard --token $CENTRAL_TOKEN
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print one snapshot and exit.")
    var once = false

    @OptionGroup var view: DashboardViewOptions

    @Flag(name: .long, help: "List every target, not only those behind or amber.")
    var allTargets = false

    @Option(name: .long, help: "Section to show: summary, departments, targets, stages or changes (live: the first page).")
    var section: DashboardSection?

    func run() async throws {
        let settings = try connection.settings()
        let lang = settings.language
        let date = view.date
        let renderer = DashboardRenderer(lang: lang, palette: Palette.forStandardOutput(), allTargets: allTargets,
                                         width: TerminalSize.current()?.columns ?? 160)
        try await connection.withAuthenticatedClient(settings) { client in
            if once {
                let dashboard = try await client.dashboard(asOf: date, campaign: view.campaign)
                let lines = section.map { renderer.render(dashboard, section: $0) } ?? renderer.render(dashboard)
                lines.forEach { Console.out($0) }
            } else {
                try await live(client: client, renderer: renderer, asOf: date, lang: lang)
            }
        }
    }

    private func live(client: TallyClient, renderer: DashboardRenderer, asOf: Date?, lang: Language) async throws {
        let redraw = Console.isTerminal(1)
        let screen = LiveScreen(renderer: renderer, section: section ?? .summary)
        let keys = redraw ? KeyReader { screen.key($0) } : nil
        defer { keys?.stop() }
        var state: DashboardState?
        let stream = client.watchResuming(campaign: view.campaign, onReconnect: { sequence in
            Console.err(lang.pick(zh: "连接中断，正在从 #\(sequence) 之后恢复…", en: "connection lost; resuming after #\(sequence)…"))
        })
        for try await event in stream {
            switch event.event {
            case .snapshot(let snapshot):
                state = DashboardState(dashboard: view.isLiveDefault
                    ? snapshot : try await client.dashboard(asOf: asOf, campaign: view.campaign))
            case .change(let change):
                // A target report carries every total it moved; project and plan changes also move
                // stages and batches, which the event does not carry: read those from the server.
                if let shown = state, shown.shows(change), !view.isLiveDefault || change.change.kind != "target" {
                    state?.apply(change)
                    state?.dashboard = try await client.dashboard(asOf: asOf, campaign: view.campaign)
                } else {
                    state?.apply(change)
                }
                if !redraw, state?.shows(change) ?? true { Console.out(renderer.changeLine(change)) }
            case .warning(let warning):
                // A warning started or ended (time passed, or a change moved it): the list comes from the server.
                if state != nil { state?.dashboard = try await client.dashboard(asOf: asOf, campaign: view.campaign) }
                if !redraw { Console.out(InsightText.event(warning, lang)) }
            case nil:
                continue
            }
            guard let state else { continue }
            if redraw {
                screen.show(state)
            } else if case .snapshot = event.event {
                renderer.render(state.dashboard).forEach { Console.out($0) }
            }
        }
    }
}
