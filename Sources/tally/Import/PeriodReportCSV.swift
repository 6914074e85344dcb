import Foundation
import TallyMessages
import TallyPresentation

/// A problem in one row of an import file.
struct RowProblem: Sendable, Equatable, CustomStringConvertible {
    var line: Int
    var message: String
    var description: String { "\(line): \(message)" }
}

/// Turns a spreadsheet export into the updates of one period report. Columns (header names in
/// Chinese or English, any order): 类型/type (指标/target or 项目/project), 编号/id, 数值/value,
/// 方式/mode (targets: 设为/set or 增加/add, default set; projects: 阶段/stage, 投资/investment,
/// 进度/percent), optional 单位/unit and 备注/note. Rows of one project are merged into one update.
enum PeriodReportCSV {
    enum Column: String, CaseIterable, Sendable {
        case type, id, value, mode, unit, note

        /// Header names accepted for this column (compared case-insensitively).
        var names: [String] {
            switch self {
            case .type: ["type", "kind", "类型", "类别"]
            case .id: ["id", "code", "编号", "代码", "指标编号", "项目编号"]
            case .value: ["value", "figure", "数值", "值", "数量"]
            case .mode: ["mode", "op", "方式", "操作"]
            case .unit: ["unit", "单位"]
            case .note: ["note", "remark", "备注", "说明"]
            }
        }
    }

    /// The outcome: updates in file order, or the problems of every bad row.
    struct Outcome: Sendable {
        var updates: [Tally_V1_Update] = []
        /// The line each update came from (its first row for a merged project).
        var lines: [Int] = []
        var problems: [RowProblem] = []
        var targetCount = 0
        var projectCount = 0
    }

    /// Validates every record (the first is the header) and builds the updates; never stops at the first problem.
    static func parse(_ records: [CSVRecord], requestID: String, lang: Language) -> Outcome {
        var outcome = Outcome()
        guard let header = records.first else {
            outcome.problems.append(RowProblem(line: 1, message: lang.pick(zh: "文件为空", en: "the file is empty")))
            return outcome
        }
        var columns: [Column: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let key = name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if let column = Column.allCases.first(where: { $0.names.contains(key) }) { columns[column] = index }
        }
        let missing = [Column.type, .id, .value].filter { columns[$0] == nil }
        if !missing.isEmpty {
            let names = missing.map { "\($0.names[2])/\($0.rawValue)" }.joined(separator: ", ")
            outcome.problems.append(RowProblem(line: header.line, message: lang.pick(
                zh: "表头缺少列：\(names)（表头为：\(header.fields.joined(separator: ","))）",
                en: "the header lacks the column(s) \(names) (header: \(header.fields.joined(separator: ",")))")))
            return outcome
        }
        var projectIndex: [String: Int] = [:]      // project id -> index in updates
        var projectFields: [String: Set<String>] = [:]
        for record in records.dropFirst() {
            func field(_ column: Column) -> String {
                guard let index = columns[column], index < record.fields.count else { return "" }
                return record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            var problems: [String] = []
            if record.fields.count > header.fields.count {
                problems.append(lang.pick(zh: "列数 \(record.fields.count) 多于表头的 \(header.fields.count) 列（数值中的逗号需要加引号）",
                                          en: "\(record.fields.count) fields but the header has \(header.fields.count) (quote values that contain commas)"))
            }
            let id = field(.id), value = field(.value), mode = field(.mode).lowercased(), kind = field(.type).lowercased()
            if id.isEmpty { problems.append(lang.pick(zh: "编号为空", en: "the id is empty")) }
            if value.isEmpty { problems.append(lang.pick(zh: "数值为空", en: "the value is empty")) }
            switch kind {
            case "target", "指标":
                let isAdd = ["add", "increment", "+", "增加", "累加", "新增"].contains(mode)
                let isSet = ["", "set", "=", "设为", "设定", "累计"].contains(mode)
                if !isAdd && !isSet {
                    problems.append(lang.pick(zh: "指标的方式“\(mode)”无效（应为 设为/set 或 增加/add）", en: "mode `\(mode)` is not valid for a target (set or add)"))
                }
                let number = InputValues.decimal(value)
                if !value.isEmpty && number == nil {
                    problems.append(lang.pick(zh: "数值“\(value)”不是数字", en: "value `\(value)` is not a number"))
                }
                guard problems.isEmpty, let number else { break }
                var request = Tally_V1_ReportTargetRequest()
                request.requestID = "\(requestID)/\(record.line)"
                request.targetID = id
                if isAdd { request.increment = number } else { request.setValue = number }
                request.unit = field(.unit)
                request.note = field(.note)
                var update = Tally_V1_Update()
                update.target = request
                outcome.updates.append(update)
                outcome.lines.append(record.line)
                outcome.targetCount += 1
            case "project", "项目":
                problems += projectProblems(mode: mode, value: value, lang: lang)
                if problems.isEmpty && projectFields[id, default: []].contains(mode) {
                    problems.append(lang.pick(zh: "项目 \(id) 的“\(mode)”在前面已出现", en: "project \(id) already has a `\(mode)` row above"))
                }
                guard problems.isEmpty else { break }
                projectFields[id, default: []].insert(mode)
                let index = projectIndex[id] ?? {
                    var request = Tally_V1_ReportProjectRequest()
                    request.requestID = "\(requestID)/\(record.line)"
                    request.projectID = id
                    var update = Tally_V1_Update()
                    update.project = request
                    outcome.updates.append(update)
                    outcome.lines.append(record.line)
                    outcome.projectCount += 1
                    projectIndex[id] = outcome.updates.count - 1
                    return outcome.updates.count - 1
                }()
                apply(mode: mode, value: value, note: field(.note), to: &outcome.updates[index])
            case "":
                problems.append(lang.pick(zh: "类型为空（应为 指标 或 项目）", en: "the type is empty (target or project)"))
            default:
                problems.append(lang.pick(zh: "类型“\(kind)”无效（应为 指标 或 项目）", en: "type `\(kind)` is not valid (target or project)"))
            }
            outcome.problems += problems.map { RowProblem(line: record.line, message: $0) }
        }
        if outcome.problems.isEmpty && outcome.updates.isEmpty {
            outcome.problems.append(RowProblem(line: header.line, message: lang.pick(zh: "没有数据行", en: "no data rows")))
        }
        return outcome
    }

    /// The number (1-based) of the update an English server message names ("update 3 of 5: ..."), if any.
    static func update(forServerMessage message: String) -> Int? {
        guard let range = message.range(of: #"update [0-9]+ of"#, options: .regularExpression) else { return nil }
        return Int(message[range].split(separator: " ")[1])
    }

    private static let stageModes: Set<String> = ["stage", "阶段"]
    private static let investmentModes: Set<String> = ["investment", "投资", "完成投资"]
    private static let percentModes: Set<String> = ["percent", "进度", "完成比例"]

    private static func projectProblems(mode: String, value: String, lang: Language) -> [String] {
        if stageModes.contains(mode) {
            return InputValues.stage(value) == nil && !value.isEmpty
                ? [lang.pick(zh: "阶段“\(value)”无效（谋划/签约/拿地/在建/竣工/投产）", en: "stage `\(value)` is not valid (planned, signed, land-acquired, under-construction, completed, in-production)")]
                : []
        }
        if investmentModes.contains(mode) || percentModes.contains(mode) {
            guard let number = InputValues.decimal(value).flatMap({ Decimal(string: $0) }) else {
                return value.isEmpty ? [] : [lang.pick(zh: "数值“\(value)”不是数字", en: "value `\(value)` is not a number")]
            }
            if percentModes.contains(mode) && (number < 0 || number > 100) {
                return [lang.pick(zh: "进度 \(value) 不在 0 到 100 之间", en: "percent \(value) is not between 0 and 100")]
            }
            return []
        }
        return [lang.pick(zh: "项目的方式“\(mode)”无效（应为 阶段/stage、投资/investment 或 进度/percent）",
                          en: "mode `\(mode)` is not valid for a project (stage, investment or percent)")]
    }

    private static func apply(mode: String, value: String, note: String, to update: inout Tally_V1_Update) {
        guard case .project(var request) = update.kind else { return }
        if stageModes.contains(mode) {
            request.stage = InputValues.stage(value) ?? .unspecified
        } else if investmentModes.contains(mode) {
            request.investmentCompleted = InputValues.decimal(value) ?? ""
        } else {
            request.percent = InputValues.decimal(value) ?? ""
        }
        if !note.isEmpty { request.note = request.note.isEmpty ? note : request.note + "；" + note }
        update.project = request
    }
}
