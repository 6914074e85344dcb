import ArgumentParser
import Foundation
import TallyMessages

/// Checks of values users type, shared by `report` and `import`.
enum InputValues {
    /// A decimal number as the wire carries it ("12", "-3.5"); nil when not a plain decimal.
    /// Thousands separators and a full-width minus are not accepted, to avoid misreading a figure.
    static func decimal(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.range(of: #"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"#, options: .regularExpression) != nil,
              let value = Decimal(string: trimmed) else { return nil }
        return "\(value)"
    }

    /// Checks a decimal flag (nil when not given): a usage error names the value, and the flag when
    /// given ("--figure: `x` is not a decimal number"). Returns the decimal as the wire carries it.
    static func checkedDecimal(_ text: String?, flag: String? = nil) throws -> String? {
        guard let text else { return nil }
        guard let value = decimal(text) else {
            throw ValidationError("\(flag.map { "\($0): " } ?? "")`\(text)` is not a decimal number")
        }
        return value
    }

    /// Names of stages users may type, in English or Chinese.
    static let stageNames: [(names: [String], stage: Tally_V1_Stage)] = [
        (["planned", "谋划", "计划"], .planned),
        (["signed", "签约", "引进"], .signed),
        (["land-acquired", "land_acquired", "拿地"], .landAcquired),
        (["under-construction", "under_construction", "construction", "在建", "开工"], .underConstruction),
        (["completed", "竣工"], .completed),
        (["in-production", "in_production", "operating", "投产", "运营"], .inProduction),
    ]

    /// Parses a stage name; nil when unknown.
    static func stage(_ text: String) -> Tally_V1_Stage? {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
        return stageNames.first { $0.names.contains(key) }?.stage
    }

    /// A request id: the given one, or a fresh UUID so a retry of this invocation is recognised.
    static func requestID(_ given: String?) -> String {
        if let given, !given.isEmpty { return given }
        return UUID().uuidString.lowercased()
    }
}
