import ArgumentParser
import TallyPresentation

/// The pages of the terminal dashboard: the summary first, the rest paged by keys or `--section`.
enum DashboardSection: String, CaseIterable, ExpressibleByArgument, Sendable {
    case summary, departments, targets, stages, changes, insight

    /// The tab label, with the key that opens it.
    func tab(_ lang: Language) -> String {
        let key = (Self.allCases.firstIndex(of: self) ?? 0) + 1
        let name = switch self {
        case .summary: lang.pick(zh: "概览", en: "summary")
        case .departments: lang.pick(zh: "部门条线", en: "departments")
        case .targets: lang.pick(zh: "指标", en: "targets")
        case .stages: lang.pick(zh: "项目", en: "projects")
        case .changes: lang.pick(zh: "动态", en: "changes")
        case .insight: lang.pick(zh: "预警榜单", en: "warnings & ranking")
        }
        return "\(key) \(name)"
    }

    /// The section `offset` places further, wrapping round.
    func moved(by offset: Int) -> DashboardSection {
        let all = Self.allCases
        let index = ((all.firstIndex(of: self) ?? 0) + offset % all.count + all.count) % all.count
        return all[index]
    }
}
