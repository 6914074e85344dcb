/// The messages of plan files (`tally plan validate|diff|apply`, Admin/ApplyPlan): where a file is
/// wrong, what a check found, and the changes a file makes, in the same English their throw sites
/// write; after the server's own messages, which are more specific.
extension MessageCatalog {
    /// The kinds of record a plan file holds, as PlanDiff and the checks name them, in Chinese.
    private static let planRecords = [
        ("campaign", "战役"), ("period", "期间"), ("department", "部门"), ("line", "条线"),
        ("target", "指标"), ("batch", "批次"), ("project", "项目"),
    ]

    /// The entries that differ only by the kind of record.
    private static var planRecordTable: String {
        planRecords.map { kind, chinese in
            """
            plan.duplicate_\(kind)
                en: duplicate \(kind) {0}
                zh: \(chinese)编号 {0} 重复
            plan.add_\(kind)
                pattern: add \(kind) (\\S+)(.*)
                en: add \(kind) {0}{1}
                zh: 新增\(chinese) {0}{1}
            plan.change_\(kind)
                pattern: change \(kind) (\\S+): (.+)
                en: change \(kind) {0}: {1}
                zh: 修改\(chinese) {0}：{1}
            plan.kept_\(kind)
                en: \(kind) {0} is not in the file: kept (a plan never deletes)
                zh: 文件中没有\(chinese) {0}：保留（计划从不删除记录）
            """
        }.joined(separator: "\n")
    }

    /// A record naming another that the file does not hold: (record, the reference as the check
    /// names it, its Chinese).
    private static let planReferences = [
        ("line", "department", "部门"), ("target", "department", "部门"), ("target", "line", "条线"),
        ("target", "period", "期间"), ("batch", "department", "部门"), ("batch", "line", "条线"),
        ("project", "lead department", "牵头部门"), ("project", "line", "条线"), ("project", "batch", "批次"),
    ]

    /// "target {0}: unknown line {1}" and the like, one entry per pair.
    private static var planReferenceTable: String {
        let names = Dictionary(uniqueKeysWithValues: planRecords)
        return planReferences.map { record, reference, chinese in
            """
            plan.unknown_\(record)_\(reference.replacingOccurrences(of: " ", with: "_"))
                en: \(record) {0}: unknown \(reference) {1}
                zh: \(names[record] ?? record) {0}：\(chinese) {1} 不存在
            """
        }.joined(separator: "\n")
    }

    /// The plan files' messages as a ``MessageTemplate/table(_:)``.
    static var planTable: String {
        #"""
        # Where: "plan-2024.json:57: targets[2].target_figure: ..." (file, line, field), then what.
        plan.at_field
            pattern: (.+?:\d+): ([A-Za-z_][A-Za-z0-9_.\[\]]*): (.+)
            en: {0}: {1}: {2}
            zh: {0}：{1}：{2}
        plan.at
            pattern: (.+?\.json(?::\d+)?): (.+)
            en: {0}: {1}
            zh: {0}：{1}
        plan.applied
            pattern: applied: (.+)
            en: applied: {0}
            zh: 已应用：{0}
        plan.format
            en: format {0} is not 1
            zh: 格式版本 {0} 不是 1
        plan.year
            en: "{0}" is not a year such as 2024
            zh: “{0}”不是年份（应如 2024）
        plan.no_year_period
            en: no period for the year {0}
            zh: 缺少 {0} 年度的期间
        plan.period_outside
            en: period {0} is not in the campaign year {1}
            zh: 期间 {0} 不在 {1} 年度内
        plan.period_order
            en: period {0}: starts_at is not before ends_at
            zh: 期间 {0}：开始时间（starts_at）不早于结束时间（ends_at）
        plan.target_negative
            en: target {0}: negative target figure
            zh: 指标 {0}：目标值为负数
        plan.project_co_department
            en: project {0}: bad co-reporting department {1}
            zh: 项目 {0}：协同部门 {1} 无效（不存在，或就是牵头部门）
        plan.project_share
            en: project {0}: a share belongs to one of its co-reporting departments, not {1}
            zh: 项目 {0}：协同份额只能属于它的协同部门，{1} 不是
        plan.missing_record
            en: missing (every record needs {0})
            zh: 缺少此项（每条记录都需要 {0}）
        plan.missing_plan
            en: missing (every plan needs {0})
            zh: 缺少此项（计划文件需要 {0}）
        plan.expected
            pattern: expected (\S+?): (.+)
            en: expected {0}: {1}
            zh: 应为 {0}：{1}
        plan.not_json
            pattern: not valid JSON: (.+)
            en: not valid JSON: {0}
            zh: 不是有效的 JSON：{0}
        plan.not_negative
            en: must not be negative
            zh: 不能为负数
        plan.at_least_one
            en: must be at least 1
            zh: 至少为 1
        """# + "\n" + planRecordTable + "\n" + planReferenceTable
    }
}
