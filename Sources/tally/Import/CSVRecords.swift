import CSV
import Foundation
import TallyPresentation

/// One record of a CSV file with the line it starts on (quoted fields may span lines).
struct CSVRecord: Sendable, Equatable {
    var line: Int
    var fields: [String]
}

/// Reads a UTF-8 CSV file (BOM tolerated; quoted fields with commas and line breaks) with CSV.swift.
enum CSVRecords {
    /// Decodes the bytes and splits them into records; blank lines are skipped.
    static func read(_ data: Data, lang: Language) throws(CLIError) -> [CSVRecord] {
        guard var text = String(data: data, encoding: .utf8) else {
            throw CLIError(.usage, lang.pick(zh: "文件不是 UTF-8 编码（请在表格软件中另存为“CSV UTF-8”）",
                                             en: "the file is not UTF-8 (save it as \"CSV UTF-8\" from the spreadsheet)"))
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false)
        } catch {
            throw CLIError(.usage, lang.pick(zh: "无法读取 CSV：\(error)", en: "cannot read the CSV: \(error)"))
        }
        var records: [CSVRecord] = []
        var line = 1
        while let fields = reader.next() {
            let start = line
            line += 1 + fields.reduce(0) { $0 + lineBreaks(in: $1) }
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            records.append(CSVRecord(line: start, fields: fields))
        }
        if let error = reader.error {
            throw CLIError(.usage, lang.pick(zh: "CSV 第 \(line) 行附近格式错误：\(error)", en: "malformed CSV near line \(line): \(error)"))
        }
        return records
    }

    /// Line breaks inside a field: CRLF, LF and CR each count once.
    static func lineBreaks(in field: String) -> Int {
        field.unicodeScalars.reduce(0) { $0 + ($1 == "\n" || $1 == "\r" ? 1 : 0) }
            - field.components(separatedBy: "\r\n").count + 1
    }
}
