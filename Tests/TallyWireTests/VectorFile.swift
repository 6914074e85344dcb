import Foundation
import TallyWire

/// One record of a Protocol/vectors/*.hex file (format in Protocol/vectors/README.md).
struct VectorRecord: Equatable {
    enum Direction: String { case client = "C", server = "S" }
    var direction: Direction
    var bytes: [UInt8]
    var line: Int
}

enum VectorFile {
    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    /// The package root, found by walking up from this source file to the directory holding Package.swift.
    static func packageRoot(from file: String = #filePath) throws -> URL {
        var directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        throw FormatError(description: "no Package.swift above \(file)")
    }

    static var directory: URL {
        get throws { try packageRoot().appendingPathComponent("Protocol/vectors") }
    }

    /// Parses a vector file: `C: hex` / `S: hex` records, `#` comment lines, blank lines.
    static func parse(_ text: String) throws -> [VectorRecord] {
        var records: [VectorRecord] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard line.count > 2, let direction = VectorRecord.Direction(rawValue: String(line.prefix(1))),
                  line.dropFirst().first == ":",
                  let bytes = [UInt8](hex: line.dropFirst(2))
            else { throw FormatError(description: "line \(index + 1): not a record: \(line)") }
            records.append(VectorRecord(direction: direction, bytes: bytes, line: index + 1))
        }
        return records
    }

    static func load(_ name: String) throws -> [VectorRecord] {
        try parse(String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))
    }
}
