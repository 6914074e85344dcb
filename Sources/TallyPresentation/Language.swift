import TallyCore

/// The language of labels shown to people: Chinese for the office, English for others.
public enum Language: String, Sendable, CaseIterable {
    case zh
    case en

    /// Parses "zh", "zh-CN", "en", "en_US"...; nil for anything else.
    public init?(code: String) {
        let lower = code.lowercased()
        if lower.hasPrefix("zh") { self = .zh } else if lower.hasPrefix("en") { self = .en } else { return nil }
    }

    /// Picks the text for this language.
    public func pick(zh: String, en: String) -> String { self == .zh ? zh : en }
}

/// A case's English words: its raw value with spaces for underscores ("on_track" reads "on track").
private func englishWords<Value: RawRepresentable>(_ value: Value) -> String where Value.RawValue == String {
    value.rawValue.replacingOccurrences(of: "_", with: " ")
}

extension Stage {
    /// The stage's name in the language (计划 ... 投产运营; planned ... in production).
    public func label(_ language: Language) -> String {
        language.pick(zh: chineseLabel, en: englishWords(self))
    }
}

extension Standing {
    /// The standing's name in the language (已完成/正常/预警/滞后/未完成; met/on track/amber/behind/missed).
    public func label(_ language: Language) -> String {
        let zh = switch self {
        case .met: "已完成"
        case .onTrack: "正常"
        case .amber: "预警"
        case .behind: "滞后"
        case .missed: "未完成"
        }
        return language.pick(zh: zh, en: englishWords(self))
    }
}

extension Direction {
    /// How the direction reads before a figure (不少于/不超过; at least/at most).
    public func label(_ language: Language) -> String {
        language.pick(zh: self == .atLeast ? "不少于" : "不超过", en: englishWords(self))
    }
}

extension DepartmentKind {
    /// The kind's name in the language (新区/功能区/街道; central office/functional zone/subdistrict).
    public func label(_ language: Language) -> String {
        switch self {
        case .central: language.pick(zh: "新区", en: "central office")
        case .functionalZone: language.pick(zh: "功能区", en: "functional zone")
        case .subdistrict: language.pick(zh: "街道", en: "subdistrict")
        }
    }
}
