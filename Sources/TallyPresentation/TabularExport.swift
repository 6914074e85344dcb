import Foundation
import SwiftProtobuf
import TallyMessages

/// CSV and JSON exports of a dashboard (`tally export` and the web side door's `/export.csv|json`).
public enum TabularExport {
    /// One row per target (UTF-8 with a BOM so spreadsheet programs read the Chinese correctly), with
    /// its forecast (projected figure at the campaign's end, outlook) and the warnings standing on it
    /// or its department.
    public static func csv(_ d: Tally_V1_Dashboard, lang: Language) -> String {
        let header = lang == .zh
            ? ["部门", "条线", "指标编号", "指标", "单位", "目标值", "当前值", "完成度(%)", "状态", "版本", "预测年末值", "预测", "预警"]
            : ["department", "line", "target_id", "target", "unit", "target_figure", "current_figure", "completion_percent", "standing", "version",
               "projected_figure", "outlook", "warnings"]
        let forecasts = Dictionary(d.forecast.targets.map { ($0.targetID, $0) }, uniquingKeysWith: { a, _ in a })
        var lines = [header.map(quote).joined(separator: ",")]
        for department in d.departments {
            let lineNames = Dictionary(department.lines.map { ($0.line.code, $0.line.name) }, uniquingKeysWith: { a, _ in a })
            for status in department.targets {
                let t = status.target
                lines.append([department.department.name, lineNames[t.line] ?? t.line, t.id, t.name, t.unit,
                              t.targetFigure, t.currentFigure, OfficeFormat.decimal(status.completionPercent, digits: 2),
                              OfficeFormat.standing(status.standing, lang), "\(t.version)",
                              forecasts[t.id]?.projectedFigure ?? "", forecasts[t.id].map { InsightText.outlook($0.outlook, lang) } ?? "",
                              warnings(on: t.id, of: department.department.code, in: d, lang)].map(quote).joined(separator: ","))
            }
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The kinds of the warnings standing on a target or on its whole department, joined.
    static func warnings(on target: String, of department: String, in d: Tally_V1_Dashboard, _ lang: Language) -> String {
        d.warnings.filter { $0.subjectID == target || ($0.department == department && $0.kind == .noReport) }
            .map { InsightText.kind($0.kind, lang) }.joined(separator: "; ")
    }

    /// Quotes a CSV field when it holds a comma, quote or line break.
    public static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The dashboard message as indented JSON (protobuf JSON mapping, decimals as strings).
    public static func json(_ d: Tally_V1_Dashboard) throws -> String {
        var options = JSONEncodingOptions()
        options.alwaysPrintEnumsAsInts = false
        let data = try d.jsonUTF8Data(options: options)
        let object = try JSONSerialization.jsonObject(with: data)
        let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: pretty, as: UTF8.self) + "\n"
    }
}
