import Foundation
import Logging
import TallyCore

/// One JSON object per log line on standard error (`tally serve --log-format json`), for log
/// collectors: time, level, logger label, message and every metadata key as a string, keys sorted.
///
/// The server logs a line for every write, on the way to its answer, so the line is written out
/// directly (``JSONStringLiteral``): `JSONSerialization` took about 370 µs a line here, half of
/// the server's CPU at 1,500 writes/s (BENCHMARKS.md, "Write path v8").
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = Self.line(time: Date(), level: event.level, label: label, message: "\(event.message)",
                             metadata: metadata, event: event.metadata ?? [:])
        line.append(UInt8(ascii: "\n"))
        Self.output.write(line)
    }

    /// Where every handler's lines go: standard error, a write at a time (``LineWriter``).
    private static let output = LineWriter(fd: STDERR_FILENO)

    /// The JSON object of one event as UTF-8, without the newline: the handler's metadata and the
    /// event's (the event's wins on a shared key); the fixed fields win over metadata keys of their names.
    static func line(time: Date, level: Logger.Level, label: String, message: String,
                     metadata: Logger.Metadata, event: Logger.Metadata = [:]) -> [UInt8] {
        var fields: [(key: String, value: String)] = []
        fields.reserveCapacity(metadata.count + event.count + 4)
        for (key, value) in event where !fixedKeys.contains(key) { fields.append((key, Self.text(value))) }
        for (key, value) in metadata where event[key] == nil && !fixedKeys.contains(key) {
            fields.append((key, Self.text(value)))
        }
        fields.append(("time", time.formatted(timestampStyle)))
        fields.append(("level", level.rawValue))
        fields.append(("logger", label))
        fields.append(("message", message))
        fields.sort { $0.key < $1.key }
        var line: [UInt8] = []
        line.reserveCapacity(512)
        line.append(UInt8(ascii: "{"))
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            JSONStringLiteral.append(field.key, to: &line)
            line.append(UInt8(ascii: ":"))
            JSONStringLiteral.append(field.value, to: &line)
        }
        line.append(UInt8(ascii: "}"))
        return line
    }

    /// A metadata value as text: a string as it is, anything else as swift-log prints it.
    private static func text(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        default: "\(value)"
        }
    }

    private static let fixedKeys: Set<String> = ["time", "level", "logger", "message"]
    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
