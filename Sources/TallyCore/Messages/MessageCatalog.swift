/// Every message the server (and the client runtime) says to people, by code, in English and
/// Chinese. The patterns match the English text the throw sites produce (Swift and the writer's
/// SQL), so those stay as they are and one place renders them; a message no entry knows is passed
/// on in English unchanged.
public enum MessageCatalog {
    /// A quoted argument: "…" with anything but a quote inside.
    private static let q = #""([^"]*)""#
    /// Any argument.
    private static let a = "(.+?)"

    /// Entries whose last argument is itself a message (a prefix naming the failing update).
    static let nested: Set<String> = ["report.update", "report.update_index", "plan.at_field", "plan.at", "plan.applied"]

    /// The server's messages, most specific first (the first whose pattern matches is used); the
    /// Office service's (MessageCatalog+Office.swift) are all specific and come first, the plan
    /// files' (MessageCatalog+Plan.swift), whose "file:line: " prefix is the loosest, last.
    public static let templates: [MessageTemplate] = MessageTemplate.table(officeTable) + MessageTemplate.table(table)
        + MessageTemplate.table(planTable)

    /// The entries of a record placed in a department's line of work (a target, a batch), alike but
    /// for the kind's name.
    private static func placed(_ kind: String, _ chinese: String) -> String {
        """
        \(kind).not_found
            en: \(kind) "{0}" does not exist
            zh: \(chinese)“{0}”不存在
        \(kind).foreign
            en: \(kind) "{0}" belongs to {1}; this credential reports for {2}
            zh: \(chinese)“{0}”属于{1}；此凭据只为{2}填报
        """
    }

    /// The server's messages as a ``MessageTemplate/table(_:)``.
    private static let table = #"""
    # Period reports: which update failed, then why.
    report.update
        pattern: update (\d+) of (\d+): (.+)
        en: update {0} of {1}: {2}
        zh: 第 {0} 项更新（共 {1} 项）：{2}
    report.update_index
        pattern: updates\[(\d+)\]: (.+)
        en: updates[{0}]: {1}
        zh: 第 {0} 项更新（从 0 数起）：{1}
    report.no_updates
        en: updates: a period report needs at least one update
        zh: 期报至少需要一项更新
    report.too_many_updates
        pattern: updates: at most (\d+) updates in one report
        en: updates: at most {0} updates in one report
        zh: 一次期报最多 {0} 项更新
    report.empty_update
        en: empty update: give a target or a project
        zh: 空的更新：请给出指标或项目
    report.bad_period
        en: period: "{0}" is not a period such as 2023-03
        zh: 期间“{0}”无效（应如 2023-03）

    # Reports made earlier (queued offline, SPEC.md 11): the window of made_at.
    made_at.future
        pattern: made_at_unix_ms: (.+?) is in the future \(server time (.+?), allowed clock skew (\d+) s\); check the client's clock
        en: made_at_unix_ms: {0} is in the future (server time {1}, allowed clock skew {2} s); check the client's clock
        zh: 填报时间 {0} 晚于服务器时间 {1}（允许的时钟偏差 {2} 秒）；请检查本机时钟
    made_at.negative
        en: made_at_unix_ms: must not be negative
        zh: 填报时间不能为负数
    period.closed
        pattern: period (\S+) is closed: a report made at (.+?) was due by (.+?) and late deliveries were accepted until (.+?) \(server time (.+?)\); report it again for the current period
        en: period {0} is closed: a report made at {1} was due by {2} and late deliveries were accepted until {3} (server time {4}); report it again for the current period
        zh: {0} 期已关闭：此报告填于 {1}，应于 {2} 前报送，迟送截至 {3}（服务器时间 {4}）；请按本期重新填报

    # Targets.
    \#(placed("target", "指标"))
    target.unit_mismatch
        en: unit "{0}" does not match target "{1}", which is measured in "{2}"
        zh: 单位“{0}”与指标“{1}”的单位“{2}”不符
    target.change_missing
        en: change: give set_value or increment
        zh: 请给出设为的数值或增加的数值
    target.negative
        en: figure of target "{0}" must not be negative (it would become {1})
        zh: 指标“{0}”的数值不能为负（将变为 {1}）
    target.task_figure
        en: target "{0}" is a task (unit 项): its figure is 1 when done and 0 when not, not {1}
        zh: 指标“{0}”是任务（单位 项）：完成为 1，未完成为 0，不能是 {1}

    # Versions.
    version.stale
        pattern: stale version: (target|project|department|line|batch) \#(q) is at version (\d+), the request expected (\d+); read it again and retry
        en: stale version: {0} "{1}" is at version {2}, the request expected {3}; read it again and retry
        zh: 版本已变：{0}“{1}”现为第 {2} 版，请求按第 {3} 版；请重新读取后再试

    # Projects and batches.
    project.not_found
        en: project "{0}" does not exist
        zh: 项目“{0}”不存在
    project.foreign
        pattern: project \#(q) \((.*)\) is led by \#(a) and not co-reported by \#(a)
        en: project "{0}" ({1}) is led by {2} and not co-reported by {3}
        zh: 项目“{0}”（{1}）由{2}牵头，{3}不是其协同填报部门
    project.nothing
        en: nothing to report: give stage, investment_completed, percent or share_investment
        zh: 没有可上报的内容：请给出阶段、完成投资、进度或本部门份额
    project.no_share
        pattern: project \#(q) \((.*)\): the plan gives \#(a) no share of its investment; its investment belongs to the lead department (.+)
        en: project "{0}" ({1}): the plan gives {2} no share of its investment; its investment belongs to the lead department {3}
        zh: 项目“{0}”（{1}）：计划未给{2}单独的投资份额；完成投资由牵头部门{3}填报
    project.share_outside
        pattern: shares: project \#(q): a share belongs to one of its co-reporting departments \((.*)\), not to (.+)
        en: shares: project "{0}": a share belongs to one of its co-reporting departments ({1}), not to {2}
        zh: 份额：项目“{0}”的份额只能给其协同填报部门（{1}），不能给 {2}
    project.bad_stage
        en: stage "{0}" is not one of planned, signed, land_acquired, under_construction, completed, in_production
        zh: 阶段“{0}”无效（应为谋划、签约、拿地、在建、竣工、投产之一）
    project.stage_back
        en: stage of project "{0}" cannot move back from {1} to {2} without the correction flag and a reason
        zh: 项目“{0}”的阶段不能从{1}退回{2}，除非标明更正并说明原因
    project.correction_reason
        en: correction_reason: a correction that moves a stage back needs a reason
        zh: 退回阶段的更正需要说明原因
    project.negative_investment
        en: investment_completed must not be negative (got {0})
        zh: 完成投资不能为负（收到 {0}）
    project.percent_range
        pattern: percent:? must be between 0 and 100 \(got \#(a)\)
        en: percent must be between 0 and 100 (got {0})
        zh: 进度应在 0 到 100 之间（收到 {0}）
    project.exists
        en: project "{0}" already exists
        zh: 项目“{0}”已存在
    project.name_missing
        en: name: a project needs a name
        zh: 项目需要名称
    \#(placed("batch", "批次"))
    department.co_not_found
        en: co-reporting department "{0}" does not exist
        zh: 协同填报部门“{0}”不存在
    department.not_found
        en: department "{0}" does not exist
        zh: 部门“{0}”不存在
    credential.not_found
        en: credential "{0}" does not exist
        zh: 凭据“{0}”不存在

    # Roles and credentials.
    role.department_only
        en: only a department credential reports figures; this credential has the {0} role (the central office reads everything and changes only the plan)
        zh: 只有部门凭据可以填报数据；此凭据的角色是 {0}（中心只查看全部数据、只修改计划）
    role.reader_only
        en: only the central office reads the whole New Area; this credential reports for {0}
        zh: 只有中心可以查看全新区；此凭据只为 {0} 填报
    role.planner_only
        en: only the central office or an admin changes the plan; this credential reports for {0}
        zh: 只有中心或管理员可以修改计划；此凭据只为 {0} 填报
    role.planner_only_role
        en: only the central office or an admin changes the plan; this credential has the {0} role
        zh: 只有中心或管理员可以修改计划；此凭据的角色是 {0}
    role.admin_only
        en: only an admin credential manages credentials; this one has the {0} role
        zh: 只有管理员凭据可以管理凭据；此凭据的角色是 {0}
    role.not_allowed
        en: the {0} role may not call this method ({1})
        zh: 角色 {0} 不能调用此方法（{1}）
    role.plan_files_only
        en: only an admin credential applies or exports plan files; this one has the {0} role
        zh: 只有管理员凭据可以应用或导出计划文件；此凭据的角色是 {0}
    history.not_found
        en: subject_id: {0} is not a target, project, batch, department, line, period, campaign, dispatch or report
        zh: {0} 不是已有的指标、项目、批次、部门、条线、期间、年度、调度或报表
    campaign.not_found_among
        pattern: campaign (\S+): no such campaign \(campaigns: (.+)\)
        en: campaign {0}: no such campaign (campaigns: {1})
        zh: 没有 {0} 年度（现有年度：{1}）
    campaign.unnamed
        pattern: campaign: a new (batch|project) names its campaign \(one of (.+)\)
        en: campaign: a new {0} names its campaign (one of {1})
        zh: 年度：新建的{0}须写明所属年度（{1} 之一）
    campaign.unknown
        pattern: campaign: there is no campaign (\S+) \(campaigns: (.+)\)
        en: campaign: there is no campaign {0} (campaigns: {1})
        zh: 年度：没有 {0} 年度（现有年度：{1}）
    campaign.batch_other
        pattern: campaign: project \#(q) is in batch \#(q) of campaign (\S+), not (\S+)
        en: campaign: project "{0}" is in batch "{1}" of campaign {2}, not {3}
        zh: 年度：项目“{0}”所在批次“{1}”属于 {2} 年度，不是 {3}
    campaign.not_found
        en: campaign {0}: no such campaign
        zh: 没有 {0} 年度
    campaign.period_outside
        pattern: period: (\S+) is outside the (\d{4}) campaign of updates\[(\d+)\] \((target|project) (.+)\); give a period from (\S+) to (\S+), or (\d{4})
        en: period: {0} is outside the {1} campaign of updates[{2}] ({3} {4}); give a period from {5} to {6}, or {7}
        zh: 期间 {0} 不在第 {2} 项更新（{4}）所属的 {1} 年度内；请填 {5} 至 {6} 或 {7}
    project.lead_owns
        pattern: (\S+): its stage and investment belong to the lead department (.+); (\S+) co-reports it and may report percent and notes
        en: {0}: its stage and investment belong to the lead department {1}; {2} co-reports it and may report percent and notes
        zh: {0}：阶段和完成投资由牵头部门 {1} 填报；{2} 为协同填报部门，可填报进度和备注
    history.foreign
        en: {0} is not a target or project of {1}
        zh: {0} 不是 {1} 的指标或项目
    auth.missing
        en: missing credentials: send metadata "authorization: Bearer <token>"
        zh: 缺少凭据：请在元数据中发送 "authorization: Bearer <令牌>"
    auth.malformed
        en: malformed authorization metadata: expected "Bearer <token>"
        zh: authorization 元数据格式错误：应为 "Bearer <令牌>"
    auth.unknown_token
        en: unknown token
        zh: 令牌无效
    auth.revoked
        en: credential {0} has been revoked
        zh: 凭据 {0} 已被吊销

    # Request fields (Validation).
    field.request_id_missing
        en: request_id: every write needs a client request id (a UUID is a good choice)
        zh: request_id：每次写入都需要客户端请求编号（可用 UUID）
    field.required
        pattern: (\w+): required
        en: {0}: required
        zh: {0}：必填
    field.too_long
        pattern: (\w+): longer than (\d+) characters
        en: {0}: longer than {1} characters
        zh: {0}：超过 {1} 个字符
    field.not_decimal
        pattern: (\w+): \#(q) is not a decimal number \(digits with an optional point, up to 18 integer and 6 fractional digits\)
        en: {0}: "{1}" is not a decimal number (digits with an optional point, up to 18 integer and 6 fractional digits)
        zh: {0}：“{1}”不是十进制数（数字，可带小数点；整数最多 18 位，小数最多 6 位）
    field.negative
        pattern: (\w+): must not be negative \(got \#(a)\)
        en: {0}: must not be negative (got {1})
        zh: {0}：不能为负（收到 {1}）
    field.control_character
        pattern: (\w+): contains the control character (U\+[0-9A-F]+)
        en: {0}: contains the control character {1}
        zh: {0}：含有控制字符 {1}

    # Availability (StatusMapping) and the client runtime.
    database.unavailable
        en: database unavailable, retry
        zh: 数据库暂不可用，请重试
    database.read_only
        en: the database is read-only: writes are refused until it is writable again
        zh: 数据库处于只读状态：恢复可写之前拒绝写入
    database.disk_full
        en: the database is out of disk space: writes are refused until space is freed
        zh: 数据库磁盘已满：释放空间之前拒绝写入
    client.cannot_resolve
        pattern: cannot reach (\S+): cannot resolve (\S+): (.+)
        en: cannot reach {0}: the name {1} does not resolve ({2})
        zh: 无法连接 {0}：域名 {1} 无法解析
    client.refused
        pattern: cannot reach (\S+): connection refused
        en: cannot reach {0}: connection refused
        zh: 无法连接 {0}：连接被拒绝（服务器未运行？）
    client.cannot_reach
        pattern: cannot reach (\S+): (.+)
        en: cannot reach {0}: {1}
        zh: 无法连接 {0}：{1}
    client.deadline
        en: deadline exceeded after {0}
        zh: 等待 {0} 后超时
    server.shutting_down
        pattern: server shutting down; resume with after_sequence=(\d+)
        en: server shutting down; resume with after_sequence={0}
        zh: 服务器正在停止；可从 after_sequence={0} 继续
    internal
        en: internal error
        zh: 服务器内部错误
    """#
}
