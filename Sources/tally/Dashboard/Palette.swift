import Foundation
import TallyMessages

/// ANSI colours for red/amber/green, off when output is not a terminal or NO_COLOR is set.
struct Palette: Sendable {
    var enabled: Bool

    /// Colours when standard output is a terminal, NO_COLOR is unset and TERM is not "dumb".
    static func forStandardOutput() -> Palette {
        let environment = ProcessInfo.processInfo.environment
        let enabled = Console.isTerminal(1) && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        return Palette(enabled: enabled)
    }

    /// Paints text in the colour of a standing.
    func paint(_ text: String, _ standing: Tally_V1_Standing) -> String {
        guard enabled else { return text }
        let code = switch standing {
        case .met, .onTrack: "32"
        case .amber: "33"
        case .behind: "31"
        case .missed: "2"
        default: "0"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// Bold text.
    func bold(_ text: String) -> String { enabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    /// Dim text.
    func dim(_ text: String) -> String { enabled ? "\u{1B}[2m\(text)\u{1B}[0m" : text }

    /// A bar of `width` cells filled to `percent` (0..100).
    static func bar(_ percent: String, width: Int = 20) -> String {
        let value = min(max(Decimal(string: percent) ?? 0, 0), 100)
        let filled = NSDecimalNumber(decimal: value * Decimal(width) / 100).intValue
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    }
}
