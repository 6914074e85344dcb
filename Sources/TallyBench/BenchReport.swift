import Foundation

/// Collects the figures of a run, prints them as they come, and the targets table at the end.
final class BenchReport {
    /// One row of the targets table.
    struct Goal {
        var name: String
        var measured: String
        var target: String
        var met: Bool
    }

    // Used from the runner's task only.
    private(set) var goals: [Goal] = []
    private(set) var failures: [String] = []

    func section(_ title: String) {
        say("")
        say("== \(title)")
    }

    func line(_ label: String, _ value: String) {
        say("  " + label.padding(toLength: 30, withPad: " ", startingAt: 0) + value)
    }

    func say(_ text: String) {
        print(text)
        fflush(nil)
    }

    func goal(_ name: String, _ measured: String, _ target: String, met: Bool) {
        goals.append(Goal(name: name, measured: measured, target: target, met: met))
    }

    /// Records a failed correctness check (printed at once and again at the end).
    func fail(_ message: String) {
        failures.append(message)
        say("  CHECK FAILED: \(message)")
    }

    func printSummary() {
        section("Targets")
        for goal in goals {
            let mark = goal.met ? "met   " : "MISSED"
            say("  \(mark) " + Self.column(goal.name, 42) + Self.column(goal.measured, 22) + "target " + goal.target)
        }
        section("Correctness")
        if failures.isEmpty {
            say("  all checks passed")
        } else {
            for failure in failures { say("  FAILED: \(failure)") }
        }
    }

    /// `text` padded to `width`, or whole and followed by a space when it is longer (never cut).
    private static func column(_ text: String, _ width: Int) -> String {
        text.count < width ? text.padding(toLength: width, withPad: " ", startingAt: 0) : text + " "
    }

    static func rate(_ value: Double) -> String {
        let rounded = Int(value.rounded())
        var text = String(rounded)
        var index = text.count - 3
        while index > 0 {
            text.insert(",", at: text.index(text.startIndex, offsetBy: index))
            index -= 3
        }
        return text
    }
}
