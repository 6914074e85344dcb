import Foundation
import TallyMessages

/// How a department's investment reads: the projects it leads, and beside them its own shares of
/// projects other departments lead (part of those projects' figures, never added to a total).
extension OfficeFormat {
    /// "牵头项目完成投资 12亿元 · 协同份额 1.5亿元" (short: "12亿元（协同份额 1.5亿元）"); the share part
    /// only when the department has a share that is not zero.
    public static func departmentInvestment(_ summary: Tally_V1_DepartmentSummary, _ language: Language,
                                            short: Bool = false) -> String {
        let led = money(yi: summary.investmentCompleted, language)
        let shared = Decimal(string: summary.sharedInvestment).flatMap { $0 == 0 ? nil : $0 }
        switch (short, shared) {
        case (true, nil): return led
        case (true, .some):
            return led + language.pick(zh: "（协同份额 \(money(yi: summary.sharedInvestment, language))）",
                                       en: " (own shares \(money(yi: summary.sharedInvestment, language)))")
        case (false, nil):
            return language.pick(zh: "牵头项目完成投资 \(led)", en: "invested in projects it leads: \(led)")
        case (false, .some):
            return language.pick(
                zh: "牵头项目完成投资 \(led) · 协同份额 \(money(yi: summary.sharedInvestment, language))（计入牵头部门，不重复计算）",
                en: "invested in projects it leads: \(led) · own shares of others' projects: \(money(yi: summary.sharedInvestment, language)) (counted in the lead's, never twice)")
        }
    }
}
