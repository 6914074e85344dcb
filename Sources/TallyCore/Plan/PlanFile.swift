import Foundation

/// A plan file that cannot be used, with where: the file, the line and the field.
public struct PlanFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; nil when the text gives no position (an empty file).
    public var line: Int?
    /// A path into the document ("targets[3].target_figure"); "" when the text is not JSON at all.
    public var field: String
    public var message: String

    public init(file: String, line: Int?, field: String, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// "plan-2024.json:57: targets[2].target_figure: ..." (the compilers' way, so editors jump there).
    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(field.isEmpty ? "" : "\(field): ")\(message)"
    }
}

/// Plan files: a campaign's plan as a JSON document (Schema/plan.schema.json, Schema/PLAN-FORMAT.md).
/// Reading checks the shape and the references and reports file, line and field; writing gives the
/// one canonical text, so that an exported plan read back and exported again is the same, byte for byte.
public enum PlanFile {
    /// Decodes and validates the text of a plan file named `file` (for messages).
    public static func parse(_ text: String, file: String) throws(PlanFileError) -> PlanDocument {
        let document: PlanDocument
        do {
            document = try JSONDecoder().decode(PlanDocument.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw locate(error, in: text, file: file)
        } catch {
            throw PlanFileError(file: file, line: nil, field: "", message: "\(error)")
        }
        do {
            try document.validate()
        } catch {
            throw PlanFileError(file: file, line: line(of: error.field, in: text), field: error.field, message: error.message)
        }
        return document
    }

    /// The canonical text of a plan: two-space indent, keys in the document's order, a final newline.
    /// Batches and projects carry no campaign (the document's year says it) and no times.
    public static func text(of plan: PlanDocument) throws -> String {
        var plan = plan
        plan.targets = plan.targets.map { var target = $0; target.updatedAt = nil; return target }
        plan.batches = plan.batches.map { var batch = $0; batch.campaign = nil; return batch }
        plan.projects = plan.projects.map { var project = $0; project.campaign = nil; project.updatedAt = nil; return project }
        return try PlanFileWriter.canonical(try JSONEncoder().encode(plan))
    }

    /// The line of a field, or of the nearest enclosing one that the text has.
    static func line(of field: String, in text: String) -> Int? {
        let lines = JSONTextLayout.lines(of: text)
        var path = field
        while !path.isEmpty {
            if let line = lines[path] { return line }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            path = String(path[..<cut])
        }
        return lines[""]
    }

    private static func locate(_ error: DecodingError, in text: String, file: String) -> PlanFileError {
        func field(_ path: [any CodingKey]) -> String {
            path.reduce(into: "") { result, key in
                if let index = key.intValue { result += "[\(index)]" } else { result += result.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = field(context.codingPath + [key])
            return PlanFileError(file: file, line: line(of: field(context.codingPath), in: text), field: at,
                                 message: "missing (every \(context.codingPath.last.map { _ in "record" } ?? "plan") needs \(key.stringValue))")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let at = field(context.codingPath)
            return PlanFileError(file: file, line: line(of: at, in: text), field: at,
                                 message: "expected \(describe(type)): \(context.debugDescription)")
        case .dataCorrupted(let context):
            let at = field(context.codingPath)
            guard at.isEmpty else {
                return PlanFileError(file: file, line: line(of: at, in: text), field: at, message: context.debugDescription)
            }
            return syntaxError(in: text, file: file)
        @unknown default:
            return PlanFileError(file: file, line: nil, field: "", message: "\(error)")
        }
    }

    /// Where the text stops being JSON: JSONSerialization names the byte ("around character 31").
    private static func syntaxError(in text: String, file: String) -> PlanFileError {
        var detail = "the text is not JSON"
        var line: Int?
        do {
            _ = try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            if let description = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String {
                detail = description
                if let offset = description.firstMatch(of: /character (\d+)/).flatMap({ Int($0.1) }) {
                    line = text.utf8.prefix(offset).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                }
            }
        }
        return PlanFileError(file: file, line: line, field: "", message: "not valid JSON: \(detail)")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is [String].Type: "a list of strings"
        default: "\(type)"
        }
    }
}
