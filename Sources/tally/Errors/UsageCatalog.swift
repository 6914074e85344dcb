import TallyCore
import TallyPresentation

/// The command line's own usage messages (flag checks, the argument parser's, settings files) in
/// Chinese: the English text each check throws is matched here and said again, where the error is
/// printed, so the checks themselves stay one line each.
enum UsageCatalog {
    private static let a = "(.+?)"

    static let templates: [MessageTemplate] = [
        // The argument parser's own.
        MessageTemplate("usage.missing_value", en: "Missing value for '{0}'", zh: "缺少 '{0}' 的值"),
        MessageTemplate("usage.missing_argument", en: "Missing expected argument '{0}'", zh: "缺少参数 '{0}'"),
        MessageTemplate("usage.unknown_option", en: "Unknown option '{0}'", zh: "未知选项 '{0}'"),
        MessageTemplate("usage.unexpected", en: "Unexpected argument '{0}'", zh: "多余的参数 '{0}'"),
        MessageTemplate("usage.bad_value", en: "The value '{0}' is invalid for '{1}'", zh: "值 '{0}' 不适用于 '{1}'"),
        // Our checks.
        MessageTemplate("usage.as_of", en: "--as-of must be a date such as 2023-11-27",
                        zh: "--as-of 应为日期，如 2023-11-27 或 2023年11月27日"),
        MessageTemplate("usage.not_decimal", #"(?:(--[a-z-]+): )?`\#(a)` is not a decimal number"#,
                        en: "{0}`{1}` is not a decimal number", zh: "{0}“{1}”不是十进制数"),
        MessageTemplate("usage.unknown_stage", en: "unknown stage `{0}`", zh: "未知阶段“{0}”（谋划/签约/拿地/在建/竣工/投产）"),
        MessageTemplate("usage.set_or_add", en: "give exactly one of --set V or --add V", zh: "--set 与 --add 须且只能给出一个"),
        MessageTemplate("usage.project_nothing", en: "give at least one of --stage, --investment, --percent",
                        zh: "请至少给出 --stage、--investment、--percent 之一"),
        MessageTemplate("usage.percent", en: "--percent must be a number from 0 to 100", zh: "--percent 应为 0 到 100 之间的数"),
        MessageTemplate("usage.correction_reason", en: "--correction needs --reason", zh: "--correction 需要 --reason 说明原因"),
        MessageTemplate("usage.reason_alone", en: "--reason goes with --correction", zh: "--reason 只能与 --correction 一起使用"),
        MessageTemplate("usage.period", en: "--period must look like 2023 or 2023-11", zh: "--period 应形如 2023 或 2023-11"),
        MessageTemplate("usage.again", en: "--again and --request-id exclude each other",
                        zh: "--again 与 --request-id 不能同时使用"),
        MessageTemplate("usage.format", en: "--format must be {0}", zh: "--format 只能是 {0}"),
        MessageTemplate("usage.between", #"(--[a-z-]+) must be between (\d+) and (\d+)"#,
                        en: "{0} must be between {1} and {2}", zh: "{0} 应在 {1} 到 {2} 之间"),
        MessageTemplate("usage.direction", en: "--direction must be at-least or at-most",
                        zh: "--direction 只能是 at-least 或 at-most"),
        MessageTemplate("usage.role", en: "--role must be department, central or admin",
                        zh: "--role 只能是 department、central 或 admin"),
        MessageTemplate("usage.role_department", en: "--department is required with --role department",
                        zh: "--role department 需要 --department"),
        // Settings.
        MessageTemplate("usage.language", en: "unknown language `{0}` (use zh or en)", zh: "未知语言“{0}”（可用 zh 或 en）"),
        MessageTemplate("usage.config_missing", en: "config file not found: {0}", zh: "找不到配置文件：{0}"),
        MessageTemplate("usage.config_unreadable", en: "cannot read config file {0}", zh: "无法读取配置文件 {0}"),
        MessageTemplate("usage.config_key", #"(\S+): unknown key `\#(a)` \(known: \#(a)\)"#,
                        en: "{0}: unknown key `{1}` (known: {2})", zh: "{0}：未知的键“{1}”（可用：{2}）"),
        MessageTemplate("usage.config_line", #"(\S+): expected `key = value`"#,
                        en: "{0}: expected `key = value`", zh: "{0}：应为“键 = 值”"),
        MessageTemplate("usage.unknown_command", en: "unknown command `{0}`; did you mean `{1}`? (see `tally --help`)",
                        zh: "未知命令“{0}”；是否想用“{1}”？（见 tally --help）"),
        MessageTemplate("usage.unknown_command_plain", en: "unknown command `{0}` (see `tally --help`)",
                        zh: "未知命令“{0}”（见 tally --help）"),
    ]

    /// A usage message in `lang`.
    static func render(_ message: String, _ lang: Language) -> String {
        lang == .en ? message : MessageRendering.render(message, in: .zh, catalog: templates)
    }
}
