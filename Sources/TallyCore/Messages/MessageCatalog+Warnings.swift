extension MessageCatalog {
    /// The English `detail` of each early warning (``InsightContext/warnings(in:)``), so a client
    /// can show it in Chinese: the protocol keeps `Warning.detail` English (SPEC.md), and the
    /// figures in it are the template's arguments.
    public static let warningDetails: [MessageTemplate] = MessageTemplate.table(warningTable)

    private static let warningTable = #"""
    warning.no_report
        en: no report for {0}, due {1}
        zh: {0} 的月报未报，应于 {1} 前报送
    warning.red_running
        en: completion {0}% against {1}% elapsed, red for {2} periods running (tolerance {3} points)
        zh: 完成度 {0}%，时间进度 {1}%，已连续 {2} 期红灯（容差 {3} 个百分点）
    warning.stage_stalled
        en: stage {0}, milestone {1} due {2}; last moved {3}
        zh: 当前阶段 {0}，应于 {2} 前达到 {1}；上次推进：{3}
    warning.request_overdue
        en: {0}: unanswered since {1}
        zh: {0}：自 {1} 起未答复
    """#
}
