import Foundation
import Synchronization
import TallyMessages

/// The live terminal view: the state folded from the watch stream, the section shown, and a redraw
/// that fits the terminal (tabs on top, the section cut to the rows left).
final class LiveScreen: Sendable {
    private struct Shown: Sendable {
        var state: DashboardState?
        var section: DashboardSection
    }

    private let shown: Mutex<Shown>
    private let renderer: DashboardRenderer

    init(renderer: DashboardRenderer, section: DashboardSection) {
        self.renderer = renderer
        shown = Mutex(Shown(state: nil, section: section))
    }

    /// Replaces the state and redraws.
    func show(_ state: DashboardState) {
        shown.withLock { $0.state = state }
        draw()
    }

    /// Handles a key: 1-5 pick a section, →/n/Tab the next, ←/p the previous. False for q (quit).
    func key(_ key: String) -> Bool {
        if key == "q" || key == "Q" { return false }
        shown.withLock { shown in
            if let number = Int(key), (1...DashboardSection.allCases.count).contains(number) {
                shown.section = DashboardSection.allCases[number - 1]
            } else if key == "right" || key == "n" || key == "\t" || key == " " {
                shown.section = shown.section.moved(by: 1)
            } else if key == "left" || key == "p" {
                shown.section = shown.section.moved(by: -1)
            }
        }
        draw()
        return true
    }

    /// Clears the screen and draws the current section at the terminal's size.
    func draw() {
        let (state, section) = shown.withLock { ($0.state, $0.section) }
        guard let state else { return }
        var renderer = self.renderer
        let size = TerminalSize.current() ?? (renderer.width, 24)
        renderer.width = size.columns
        let body = renderer.render(state.dashboard, section: section, recent: state.recent)
        let screen = [renderer.tabs(section)] + body.prefix(max(1, size.rows - 2))
        Console.write("\u{1B}[H\u{1B}[2J" + screen.joined(separator: "\n") + "\n")
    }
}
