import Foundation

/// Writes a plan document as its one canonical text: two-space indent, `"key": value`, `[]` when
/// empty, keys in the order of the format's reference (Schema/PLAN-FORMAT.md), non-ASCII as it is,
/// and a final newline, so that export, apply and export again give the same bytes.
enum PlanFileWriter {
    /// Key order per list of records (the root object is keyed by "").
    static let keyOrder: [String: [String]] = [
        "": ["format", "campaign", "year", "notes", "warnings", "departments", "lines", "periods", "targets", "batches", "projects"],
        "warnings": ["report_grace_days", "red_periods", "milestone_days", "stalled_months"],
        "departments": ["code", "name", "kind", "sort_order"],
        "lines": ["code", "department", "name", "goal", "sort_order"],
        "periods": ["code", "kind", "starts_at", "ends_at", "due_at"],
        "targets": ["id", "department", "line", "name", "unit", "direction", "target_figure", "current_figure",
                    "period", "qualifier", "version", "note", "sort_order"],
        "batches": ["id", "department", "line", "name", "planned_count", "planned_investment",
                    "investment_qualifier", "milestone", "sort_order"],
        "projects": ["id", "name", "lead_department", "co_departments", "shares", "line", "batch", "planned_investment",
                     "investment_completed", "percent", "stage", "version", "sort_order"],
        "shares": ["department", "investment_completed"],
    ]

    /// The canonical text of JSON produced by JSONEncoder for a plan document.
    static func canonical(_ json: Data) throws -> String {
        let value = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
        var output = ""
        write(value, list: "", depth: 0, into: &output)
        return output + "\n"
    }

    private static func write(_ value: Any, list: String, depth: Int, into output: inout String) {
        let indent = String(repeating: "  ", count: depth + 1)
        let closing = String(repeating: "  ", count: depth)
        switch value {
        case let object as [String: Any]:
            guard !object.isEmpty else { output += "{}"; return }
            let order = keyOrder[list] ?? []
            let keys = order.filter { object[$0] != nil } + object.keys.filter { !order.contains($0) }.sorted()
            output += "{\n"
            for (index, key) in keys.enumerated() {
                output += indent + JSONStringLiteral.quoted(key) + ": "
                // A list's records take their key order from the list's name.
                write(object[key] ?? NSNull(), list: key, depth: depth + 1, into: &output)
                output += index + 1 < keys.count ? ",\n" : "\n"
            }
            output += closing + "}"
        case let array as [Any]:
            guard !array.isEmpty else { output += "[]"; return }
            output += "[\n"
            for (index, element) in array.enumerated() {
                output += indent
                write(element, list: list, depth: depth + 1, into: &output)
                output += index + 1 < array.count ? ",\n" : "\n"
            }
            output += closing + "]"
        case let string as String:
            output += JSONStringLiteral.quoted(string)
        case let number as NSNumber:
            output += number.stringValue
        default:
            output += "null"
        }
    }
}
