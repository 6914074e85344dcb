import Foundation

/// Plan files for tests.
enum PlanFixtures {
    /// A small, realistic 2024 plan (Tests/Fixtures/plan-2024.json, shared with the CLI tests): two
    /// reporting departments (and the central office), four targets, two batches, three projects
    /// (one led by marine-hitech and co-reported by yinzhu with its own share of the investment).
    /// Canonical text (as `tally plan export` writes it). Ids carry the year, so they stand beside 2023's.
    static var plan2024: String {
        get throws {
            let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            return try String(contentsOf: tests.appendingPathComponent("Fixtures/plan-2024.json"), encoding: .utf8)
        }
    }
}
