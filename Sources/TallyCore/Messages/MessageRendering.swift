import Foundation
import TallyWire

/// Renders messages in a language: recognizes the English text a throw site produced, and writes it
/// again from the catalog. Used by the server on every call's error status (the call's
/// `accept-language`), and by the command-line tool for messages its own client runtime makes.
public enum MessageRendering {
    /// The code and arguments of a message, when the catalog knows it.
    public static func recognize(_ message: String) -> (code: String, arguments: [String])? {
        match(message, in: MessageCatalog.templates).map { ($0.template.code, $0.arguments) }
    }

    /// The template of `catalog` that `message` is, with its arguments; nil when none matches.
    public static func recognize(_ message: String, in catalog: [MessageTemplate])
        -> (template: MessageTemplate, arguments: [String])? {
        match(message, in: catalog)
    }

    /// The message in `language`; unchanged when the catalog (the server's, unless another is
    /// given) does not know it.
    public static func render(_ message: String, in language: MessageLanguage,
                              catalog: [MessageTemplate] = MessageCatalog.templates) -> String {
        guard let found = match(message, in: catalog) else { return message }
        return render(found, in: language, catalog: catalog)
    }

    /// The first template whose pattern matches `message` (most specific first), with its arguments;
    /// each template is tried once.
    private static func match(_ message: String, in catalog: [MessageTemplate])
        -> (template: MessageTemplate, arguments: [String])? {
        for template in catalog {
            if let arguments = template.arguments(of: message) { return (template, arguments) }
        }
        return nil
    }

    /// A recognized message written again in `language`.
    private static func render(_ found: (template: MessageTemplate, arguments: [String]), in language: MessageLanguage,
                               catalog: [MessageTemplate]) -> String {
        let template = found.template
        var arguments = found.arguments.map { stageLabel($0, language) }
        if language == .zh, template.code.hasPrefix("field."), let field = arguments.first {
            arguments[0] = fieldLabels[field].map { "\($0)（\(field)）" } ?? field
        }
        if MessageCatalog.nested.contains(template.code), let last = arguments.popLast() {
            arguments.append(render(last, in: language, catalog: catalog))
        }
        return template.render(language, arguments)
    }

    /// The error a call ends with, its message rendered in `language` and its code and arguments
    /// in the status metadata (`message-code`, `message-args` as a JSON array) for programs.
    /// English is the language the throw sites write in, so an English caller gets their text as it is.
    public static func localized(_ error: RPCError, in language: MessageLanguage) -> RPCError {
        let catalog = MessageCatalog.templates
        guard let found = match(error.message, in: catalog) else { return error }
        var localized = error   // keeps its cause for the server's log
        localized.metadata["message-code"] = found.template.code
        localized.metadata["message-args"] = jsonArray(found.arguments)
        if language != .en { localized.message = render(found, in: language, catalog: catalog) }
        return localized
    }

    /// The Chinese names of request fields, for messages that name one.
    private static let fieldLabels = [
        "request_id": "请求编号", "target_id": "指标编号", "project_id": "项目编号", "batch_id": "批次编号",
        "subject_id": "指标或项目编号", "set_value": "设为值", "increment": "增加值", "unit": "单位", "note": "备注",
        "investment_completed": "完成投资", "planned_investment": "计划投资", "percent": "进度",
        "correction_reason": "更正原因", "expected_version": "期望版本", "name": "名称", "department": "部门",
        "co_departments": "协同部门", "period": "期间", "limit": "条数",
    ]

    /// "在建 (under_construction)", as the writer labels a stage, in the language's own words.
    private static func stageLabel(_ argument: String, _ language: MessageLanguage) -> String {
        guard argument.hasSuffix(")"), let open = argument.lastIndex(of: "("),
              let stage = Stage(rawValue: String(argument[argument.index(after: open)..<argument.index(before: argument.endIndex)]))
        else { return argument }
        return language == .zh ? stage.chineseLabel : stage.rawValue.replacingOccurrences(of: "_", with: " ")
    }

    private static func jsonArray(_ items: [String]) -> String {
        "[" + items.map { item in
            "\"" + item.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "\"": "\\\""
                case "\\": "\\\\"
                case _ where scalar.value < 0x20: String(format: "\\u%04x", scalar.value)
                default: String(scalar)
                }
            }.joined() + "\""
        }.joined(separator: ",") + "]"
    }
}
