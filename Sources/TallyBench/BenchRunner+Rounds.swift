extension BenchRunner {
    /// Tally / baseline over all rounds: the sum of Tally's rates over the sum of the baseline's (the
    /// rounds are equally long, so this is all updates over all updates), beside each round's ratio.
    func reportRounds(_ rates: [String: [(baseline: Double, tally: Double)]], _ report: BenchReport) {
        for (suffix, pairs) in rates.sorted(by: { $0.key < $1.key }) where !pairs.isEmpty {
            report.section("All \(pairs.count) rounds\(suffix)")
            let ratios = pairs.map { $0.tally / $0.baseline }
            report.line("baseline, updates/s", pairs.map { BenchReport.rate($0.baseline) }.joined(separator: ", "))
            report.line("Tally, updates/s", pairs.map { BenchReport.rate($0.tally) }.joined(separator: ", "))
            report.line("Tally / baseline, each round", ratios.map { String(format: "%.2f×", $0) }.joined(separator: ", "))
            let overall = pairs.map(\.tally).reduce(0, +) / pairs.map(\.baseline).reduce(0, +)
            let sorted = ratios.sorted()
            let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
                : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            report.line("Tally / baseline, all rounds", String(format: "%.2f×  (median of the rounds %.2f×)", overall, median))
            ratioGoal(overall, ", \(pairs.count) rounds\(suffix)", report)
        }
    }

    /// The throughput goal: Tally / the plain-SQL baseline, of one updates phase or of all rounds.
    func ratioGoal(_ ratio: Double, _ suffix: String, _ report: BenchReport) {
        report.goal("Tally / plain-SQL baseline (\(configuration.departments) dept.)\(suffix)",
                    String(format: "%.2f×", ratio), "≥ 2.00× (floor 1×)", met: ratio >= 2)
    }

    /// " (round 2 of 3)" for a round of several, nothing otherwise.
    func roundLabel(_ round: Int?) -> String {
        round.map { " (round \($0) of \(configuration.rounds))" } ?? ""
    }
}
