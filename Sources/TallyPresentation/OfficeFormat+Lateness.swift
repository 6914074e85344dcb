import TallyMessages

/// How the central office reads a department's late reports: told apart by when they were made
/// (Protocol/SPEC.md 11, "Reports made earlier").
extension OfficeFormat {
    /// "（迟送 2 · 迟报 1）": reports made in time but delivered after the due day (queued offline), and
    /// reports made after it; empty when there are none.
    public static func lateness(_ summary: Tally_V1_DepartmentSummary, _ language: Language) -> String {
        var parts: [String] = []
        if summary.lateDeliveries > 0 {
            parts.append(language.pick(zh: "迟送 \(summary.lateDeliveries)", en: "delivered late \(summary.lateDeliveries)"))
        }
        if summary.lateReports > 0 {
            parts.append(language.pick(zh: "迟报 \(summary.lateReports)", en: "reported late \(summary.lateReports)"))
        }
        guard !parts.isEmpty else { return "" }
        let text = parts.joined(separator: " · ")
        return language.pick(zh: "（\(text)）", en: " (\(text))")
    }
}
