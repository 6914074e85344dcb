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

extension Stage {
    /// The stage's name in the language (计划 ... 投产运营; planned ... in production).
    public func label(_ language: Language) -> String {
        switch language {
        case .zh: chineseLabel
        case .en:
            switch self {
            case .planned: "planned"
            case .signed: "signed"
            case .landAcquired: "land acquired"
            case .underConstruction: "under construction"
            case .completed: "completed"
            case .inProduction: "in production"
            }
        }
    }
}

extension Standing {
    /// The standing's name in the language (已完成/正常/预警/滞后/未完成; met/on track/amber/behind/missed).
    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.met, .zh): "已完成"
        case (.onTrack, .zh): "正常"
        case (.amber, .zh): "预警"
        case (.behind, .zh): "滞后"
        case (.missed, .zh): "未完成"
        case (.met, .en): "met"
        case (.onTrack, .en): "on track"
        case (.amber, .en): "amber"
        case (.behind, .en): "behind"
        case (.missed, .en): "missed"
        }
    }
}

extension Direction {
    /// How the direction reads before a figure (不少于/不超过; at least/at most).
    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.atLeast, .zh): "不少于"
        case (.atMost, .zh): "不超过"
        case (.atLeast, .en): "at least"
        case (.atMost, .en): "at most"
        }
    }
}

extension DepartmentKind {
    /// The kind's name in the language (新区/功能区/街道; central office/functional zone/subdistrict).
    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.central, .zh): "新区"
        case (.functionalZone, .zh): "功能区"
        case (.subdistrict, .zh): "街道"
        case (.central, .en): "central office"
        case (.functionalZone, .en): "functional zone"
        case (.subdistrict, .en): "subdistrict"
        }
    }
}
