import TallyCore
import TallyMessages
import TallyPresentation

/// How a change-log entry reads for people: the field's label instead of its column name
/// ("当前完成" rather than "current_figure") and stage values by their labels.
enum ChangeText {
    /// The label of a change's field.
    static func field(_ name: String, lang: Language) -> String {
        switch name {
        case "current_figure": lang.pick(zh: "当前完成", en: "current figure")
        case "stage": lang.pick(zh: "阶段", en: "stage")
        case "investment_completed": lang.pick(zh: "完成投资（亿元）", en: "investment (100M yuan)")
        case "percent": lang.pick(zh: "进度（%）", en: "percent")
        case "reported": lang.pick(zh: "已上报（无变化）", en: "reported (unchanged)")
        case "project": lang.pick(zh: "登记项目", en: "registered project")
        case "department": lang.pick(zh: "部门（计划）", en: "department (plan)")
        case "line": lang.pick(zh: "条线（计划）", en: "line (plan)")
        case "target": lang.pick(zh: "指标（计划）", en: "target (plan)")
        case "batch": lang.pick(zh: "批次（计划）", en: "batch (plan)")
        case "created": lang.pick(zh: "发出调度", en: "dispatch sent")
        case "answered": lang.pick(zh: "答复调度", en: "dispatch answered")
        case "closed": lang.pick(zh: "关闭调度", en: "dispatch closed")
        case "submitted": lang.pick(zh: "报表待审核", en: "report submitted")
        case "accepted": lang.pick(zh: "报表通过", en: "report accepted")
        case "returned": lang.pick(zh: "报表退回", en: "report returned")
        default: name
        }
    }

    /// A value of a change: stage names by their labels, "-" for none.
    static func value(_ text: String, field: String, lang: Language) -> String {
        if text.isEmpty { return "-" }
        if field == "stage", let stage = Stage(rawValue: text) { return stage.label(lang) }
        if let number = InputValues.decimal(text) { return OfficeFormat.decimal(number, digits: 6) }
        return text
    }

    /// "当前完成：0 → 5".
    static func summary(_ change: Tally_V1_Change, lang: Language) -> String {
        let label = field(change.field, lang: lang)
        if change.field == "reported" { return label }
        if change.kind == "dispatch" || change.kind == "review" {
            // 调度 and review: what happened, and the title, answer or comment it carries.
            let detail = change.kind == "dispatch" && change.field == "created" ? change.newValue : change.note
            return detail.isEmpty ? "\(label) \(change.subjectID)" : "\(label) \(change.subjectID)\(lang.pick(zh: "：", en: ": "))\(detail)"
        }
        return "\(label)\(lang.pick(zh: "：", en: ": "))\(value(change.oldValue, field: change.field, lang: lang)) → \(value(change.newValue, field: change.field, lang: lang))"
    }
}
