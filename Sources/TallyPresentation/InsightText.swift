import TallyCore
import TallyMessages

/// Words for early warnings, forecasts and the ranking, shared by the terminal, the demo and the exports.
public enum InsightText {
    /// The kind of a warning (逾期未报, 连续红灯, 项目停滞, 调度逾期).
    public static func kind(_ kind: Tally_V1_WarningKind, _ lang: Language) -> String {
        switch kind {
        case .noReport: lang.pick(zh: "逾期未报", en: "no report")
        case .redRunning: lang.pick(zh: "连续红灯", en: "red periods running")
        case .stageStalled: lang.pick(zh: "项目停滞", en: "project stalled")
        case .requestOverdue: lang.pick(zh: "调度逾期", en: "request overdue")
        case .unspecified, .UNRECOGNIZED: lang.pick(zh: "预警", en: "warning")
        }
    }

    /// One warning on a line: kind, department, subject, period and the figures behind it.
    public static func line(_ warning: Tally_V1_Warning, _ lang: Language, names: [String: String] = [:]) -> String {
        let department = names[warning.department] ?? warning.department
        let subject = warning.subjectID == warning.department ? "" : " \(warning.subjectID)"
        let period = warning.period.isEmpty ? "" : " (\(warning.period))"
        return "[\(kind(warning.kind, lang))] \(department)\(subject)\(period)\(lang.pick(zh: "：", en: ": "))\(detail(warning, lang))"
    }

    /// The figures behind a warning in the language: the server's English `detail` as it is, or
    /// written again in Chinese when ``MessageCatalog/warningDetails`` knows it (with its stages,
    /// times and "never" in Chinese words too); an unknown detail stays English.
    public static func detail(_ warning: Tally_V1_Warning, _ lang: Language) -> String {
        guard lang == .zh, let (template, arguments) = MessageRendering.recognize(warning.detail, in: MessageCatalog.warningDetails)
        else { return warning.detail }
        let words = template.code == "warning.stage_stalled"   // its stages and "never"; a request's title stays as written
        return template.render(.zh, arguments.map { chineseArgument($0, words: words) })
    }

    /// A warning detail's argument in Chinese words: a CST timestamp ("2023-12-06T00:00:00+08:00")
    /// as date and minute; with `words`, a stage's name and "never" too.
    private static func chineseArgument(_ argument: String, words: Bool) -> String {
        if words, let stage = Stage(rawValue: argument) { return stage.chineseLabel }
        if words, argument == "never" { return "从未" }
        if argument.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+08:00/) != nil {
            return "\(argument.prefix(10)) \(argument.dropFirst(11).prefix(5))"
        }
        return argument
    }

    /// A warning starting or ending, for a live view.
    public static func event(_ event: Tally_V1_WarningEvent, _ lang: Language, names: [String: String] = [:]) -> String {
        (event.started ? lang.pick(zh: "预警出现 ", en: "warning started ") : lang.pick(zh: "预警解除 ", en: "warning ended "))
            + line(event.warning, lang, names: names)
    }

    /// The ranking's order and boards in words, printed beside the table.
    public static func rankingRule(_ lang: Language) -> String {
        lang.pick(
            zh: "排序规则：先比进度差（各指标平均完成度减时间进度，百分点，保留一位小数），再比按期上报率（已到期月报中当月上报的比例），再比调度按时答复率；三项都相同的并列同一名次。红榜：进度不落后于时间、最近一期月报已报、无逾期调度；黑榜：落后超过容差、最近一期月报未报或有逾期调度。",
            en: "Order: pace first (mean completion minus elapsed time, in points, to one decimal), then the share of due monthly reports sent for their month, then the share of 调度 requests answered on time; departments equal on all three share a rank. Red board (红榜): pace at or above elapsed time, the latest due report sent, no request overdue. Black board (黑榜): behind by more than the tolerance, or the latest due report missing, or a request overdue.")
    }

    /// 红榜 / 黑榜 / "" for a board.
    public static func board(_ board: Tally_V1_Board, _ lang: Language) -> String {
        switch board {
        case .red: lang.pick(zh: "红榜", en: "red board")
        case .black: lang.pick(zh: "黑榜", en: "black board")
        default: ""
        }
    }

    /// The outlook of a forecast (已完成, 可完成, 有风险, 难完成, 数据不足).
    public static func outlook(_ outlook: Tally_V1_Outlook, _ lang: Language) -> String {
        switch outlook {
        case .met: lang.pick(zh: "已完成", en: "met")
        case .onCourse: lang.pick(zh: "可完成", en: "on course")
        case .atRisk: lang.pick(zh: "有风险", en: "at risk")
        case .offCourse: lang.pick(zh: "难完成", en: "off course")
        case .noHistory: lang.pick(zh: "数据不足", en: "no history")
        case .unspecified, .UNRECOGNIZED: ""
        }
    }

    /// The ranking as table rows: rank, department, completion, pace, reports and requests on time, board.
    public static func rankingHeader(_ lang: Language) -> [String] {
        [lang.pick(zh: "名次", en: "Rank"), lang.pick(zh: "部门", en: "Department"), lang.pick(zh: "完成度", en: "Completion"),
         lang.pick(zh: "进度差", en: "Pace"), lang.pick(zh: "按期上报", en: "Reports on time"),
         lang.pick(zh: "调度按时", en: "Requests on time"), lang.pick(zh: "榜单", en: "Board")]
    }

    /// One ranking row's cells (see ``rankingHeader(_:)``).
    public static func rankingCells(_ row: Tally_V1_RankingRow, _ lang: Language, names: [String: String] = [:]) -> [String] {
        ["\(row.rank)", names[row.department] ?? row.department, "\(row.completionPercent)%", row.pacePoints,
         "\(row.reportsOnTime)/\(row.reportsDue)", "\(row.requestsOnTime)/\(row.requestsDue)", board(row.board, lang)]
    }
}
