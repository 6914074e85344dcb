import Foundation
import TallyMessages
import TallyPresentation

/// How dispatches (调度 requests) and reviewed reports read in the terminal.
enum OfficeText {
    /// A recipient's state: 已答复 / 已答复（逾期） / 待答复 / 已逾期.
    static func state(_ recipient: Tally_V1_DispatchRecipient, lang: Language) -> String {
        switch recipient.state {
        case .answered where recipient.late: lang.pick(zh: "已答复（逾期）", en: "answered late")
        case .answered: lang.pick(zh: "已答复", en: "answered")
        case .overdue: lang.pick(zh: "已逾期", en: "overdue")
        case .open: lang.pick(zh: "待答复", en: "open")
        default: "-"
        }
    }

    static func review(_ state: Tally_V1_ReviewState, lang: Language) -> String {
        switch state {
        case .submitted: lang.pick(zh: "待审核", en: "submitted")
        case .accepted: lang.pick(zh: "已通过", en: "accepted")
        case .returned: lang.pick(zh: "已退回", en: "returned")
        default: "-"
        }
    }

    /// One dispatch: its heading, then one row per recipient (a department by its name in `names`, else its code).
    static func dispatch(_ dispatch: Tally_V1_Dispatch, lang: Language, names: [String: String] = [:]) -> String {
        let closed = dispatch.closed ? lang.pick(zh: "（已关闭）", en: " (closed)") : ""
        var lines = [lang.pick(
            zh: "\(dispatch.id)「\(dispatch.title)」截止 \(OfficeFormat.dateTime(unixMs: dispatch.dueUnixMs))\(closed)",
            en: "\(dispatch.id) \(dispatch.title), due \(OfficeFormat.dateTime(unixMs: dispatch.dueUnixMs)) CST\(closed)")]
        if !dispatch.instructions.isEmpty { lines.append("  " + dispatch.instructions.replacingOccurrences(of: "\n", with: "\n  ")) }
        if !dispatch.subjects.isEmpty { lines.append("  " + lang.pick(zh: "涉及：", en: "concerns: ") + dispatch.subjects.joined(separator: ", ")) }
        lines.append(TextTable.render(
            header: [lang.pick(zh: "部门", en: "Department"), lang.pick(zh: "状态", en: "State"),
                     lang.pick(zh: "答复时间", en: "Answered"), lang.pick(zh: "报表", en: "Report"), lang.pick(zh: "答复", en: "Answer")],
            rows: dispatch.recipients.map { r in
                [names[r.department] ?? r.department, state(r, lang: lang), OfficeFormat.dateTime(unixMs: r.answeredUnixMs),
                 r.reportID.isEmpty ? "-" : r.reportID, r.answer.replacingOccurrences(of: "\n", with: " ")]
            }))
        return lines.joined(separator: "\n")
    }

    /// Reports with their review state, newest first (departments named as in ``dispatch(_:lang:names:)``).
    static func reports(_ reports: [Tally_V1_PeriodReport], lang: Language, names: [String: String] = [:]) -> String {
        TextTable.render(
            header: [lang.pick(zh: "报表", en: "Report"), lang.pick(zh: "部门", en: "Department"), lang.pick(zh: "期间", en: "Period"),
                     lang.pick(zh: "提交时间", en: "Submitted"), lang.pick(zh: "审核", en: "Review"), lang.pick(zh: "意见", en: "Comment"),
                     lang.pick(zh: "更正关系", en: "Correction")],
            rows: reports.map { r in
                let link = [r.resubmits.isEmpty ? nil : lang.pick(zh: "更正 \(r.resubmits)", en: "corrects \(r.resubmits)"),
                            r.correctedBy.isEmpty ? nil : lang.pick(zh: "已由 \(r.correctedBy) 更正", en: "corrected by \(r.correctedBy)")]
                    .compactMap { $0 }.joined(separator: "; ")
                return [r.id, names[r.department] ?? r.department, r.period, OfficeFormat.dateTime(unixMs: r.submittedUnixMs), review(r.reviewState, lang: lang),
                        r.reviewComment.replacingOccurrences(of: "\n", with: " "), link.isEmpty ? "-" : link]
            })
    }
}
