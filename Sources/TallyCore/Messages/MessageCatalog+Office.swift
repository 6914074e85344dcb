extension MessageCatalog {
    /// The Office service's messages (调度 requests and review): Swift's and Schema/007's. Each
    /// pattern is its English text: a ``MessageTemplate/table(_:)`` without `pattern:` lines.
    static let officeTable = #"""
    role.office_only
        en: only the central office or an admin issues and closes 调度 requests and reviews reports; this credential reports for {0}
        zh: 只有中心或管理员可以发出、关闭调度和审核报表；此凭据为 {0} 填报
    role.answer_only
        en: only a department credential has an inbox and answers 调度 requests; this credential has the {0} role
        zh: 只有部门凭据有收件箱并答复调度；此凭据的角色是 {0}
    dispatch.no_departments
        en: departments: a 调度 request goes to at least one department
        zh: 调度至少要发给一个部门
    dispatch.due_past
        en: due_unix_ms: the due time {0} is not after the server's now {1}
        zh: 截止时间 {0} 不晚于服务器当前时间 {1}
    dispatch.not_reporting
        en: departments: "{0}" is not a reporting department
        zh: “{0}”不是填报部门
    dispatch.bad_subject
        en: subjects: "{0}" is not a target or project
        zh: “{0}”不是指标或项目
    dispatch.not_found
        en: dispatch "{0}" does not exist
        zh: 调度“{0}”不存在
    dispatch.not_addressed
        en: dispatch "{0}" is not addressed to {1}
        zh: 调度“{0}”不是发给 {1} 的
    dispatch.closed
        en: dispatch "{0}" was closed; it takes no more answers
        zh: 调度“{0}”已关闭，不再接受答复
    dispatch.answered
        en: dispatch "{0}" was already answered by {1}
        zh: 调度“{0}”已由 {1} 答复
    dispatch.already_closed
        en: dispatch "{0}" is already closed
        zh: 调度“{0}”已经关闭
    dispatch.answer_required
        en: answer: required (the text reply to the 调度 request)
        zh: 答复内容必填
    report.not_found
        en: report "{0}" does not exist
        zh: 报表“{0}”不存在
    review.done
        en: report "{0}" was already {1}; only a submitted report is reviewed
        zh: 报表“{0}”已审核（{1}）；只有待审核的报表可以审核
    review.comment_required
        en: comment: a returned report needs a comment saying what to correct
        zh: 退回报表须附意见，说明需更正之处
    review.action
        en: action: give REVIEW_ACTION_ACCEPT or REVIEW_ACTION_RETURN
        zh: 审核动作须为 REVIEW_ACTION_ACCEPT 或 REVIEW_ACTION_RETURN
    resubmit.not_found
        en: resubmits: report "{0}" does not exist
        zh: 要更正的报表“{0}”不存在
    resubmit.other_department
        en: resubmits: report "{0}" is a report of {1}; this credential reports for {2}
        zh: 报表“{0}”属于 {1}；此凭据为 {2} 填报
    resubmit.not_returned
        en: resubmits: report "{0}" is {1}, not returned: only a returned report is corrected by a resubmission
        zh: 报表“{0}”未被退回（{1}）：只有退回的报表才能更正
    resubmit.corrected
        en: resubmits: report "{0}" was already corrected by report "{1}"
        zh: 报表“{0}”已由报表“{1}”更正
    reports.other_department
        en: reports of {0} are not readable with a credential of {1}
        zh: {1} 的凭据不能查看 {0} 的报表
    inbox.too_slow
        en: inbox watcher too slow: more than {0} changes queued; call Inbox and watch again
        zh: 收件箱监听过慢：积压超过 {0} 条变化；请重新读取收件箱并监听
    inbox.shutting_down
        en: server shutting down; call Inbox and watch again
        zh: 服务器正在停止；请重新读取收件箱并监听
    """#
}
