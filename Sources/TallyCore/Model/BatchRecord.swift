import Foundation
import TallyMessages

/// A group of projects with a planned count, planned total investment and the 2023 milestone
/// (a row of `batches`). Only some members are named in the plan; departments register the rest.
public struct BatchRecord: Sendable, Hashable, Codable {
    public var id: String
    public var department: String
    public var line: String
    public var name: String
    public var plannedCount: Int
    /// 亿元; nil when the plan names no figure.
    public var plannedInvestment: Decimal?
    /// "", "近" (nearly), "超" (over), "不低于" (at least).
    public var investmentQualifier: String
    /// The stage members should reach this year.
    public var milestone: Stage
    public var sortOrder: Int
    /// The campaign (year period) it belongs to; nil in a plan document, where the document's year says it.
    public var campaign: String?

    public init(id: String, department: String, line: String, name: String, plannedCount: Int,
                plannedInvestment: Decimal?, investmentQualifier: String = "", milestone: Stage, sortOrder: Int = 0) {
        self.id = id
        self.department = department
        self.line = line
        self.name = name
        self.plannedCount = plannedCount
        self.plannedInvestment = plannedInvestment
        self.investmentQualifier = investmentQualifier
        self.milestone = milestone
        self.sortOrder = sortOrder
    }

    enum CodingKeys: String, CodingKey {
        case id, department, line, name, milestone
        case plannedCount = "planned_count"
        case plannedInvestment = "planned_investment"
        case investmentQualifier = "investment_qualifier"
        case sortOrder = "sort_order"
        case campaign
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        department = try container.decode(String.self, forKey: .department)
        line = try container.decode(String.self, forKey: .line)
        name = try container.decode(String.self, forKey: .name)
        plannedCount = try container.decode(Int.self, forKey: .plannedCount)
        plannedInvestment = try container.decodeExactIfPresent(.plannedInvestment)
        investmentQualifier = try container.decode(.investmentQualifier, default: "")
        milestone = try container.decode(Stage.self, forKey: .milestone)
        sortOrder = try container.decode(.sortOrder, default: 0)
        campaign = try container.decodeIfPresent(String.self, forKey: .campaign)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(department, forKey: .department)
        try container.encode(line, forKey: .line)
        try container.encode(name, forKey: .name)
        try container.encode(plannedCount, forKey: .plannedCount)
        try container.encodeExact(plannedInvestment, forKey: .plannedInvestment)
        try container.encode(investmentQualifier, forKey: .investmentQualifier)
        try container.encode(milestone, forKey: .milestone)
        try container.encode(sortOrder, forKey: .sortOrder)
        try container.encodeIfPresent(campaign, forKey: .campaign)
    }

    /// The wire message of this batch (empty investment when the plan names none).
    public var proto: Tally_V1_Batch {
        var message = Tally_V1_Batch()
        message.id = id
        message.department = department
        message.line = line
        message.name = name
        message.plannedCount = Int32(clamping: plannedCount)
        message.plannedInvestment = plannedInvestment?.exactString ?? ""
        message.investmentQualifier = investmentQualifier
        message.milestone = milestone.proto
        message.campaign = campaign ?? ""
        return message
    }

    /// A batch from its wire message; nil when the milestone is unspecified or the investment is not exact text.
    public init?(proto: Tally_V1_Batch, sortOrder: Int = 0) {
        guard let milestone = Stage(proto: proto.milestone) else { return nil }
        var investment: Decimal?
        if !proto.plannedInvestment.isEmpty {
            guard let parsed = Decimal(exact: proto.plannedInvestment) else { return nil }
            investment = parsed
        }
        self.init(id: proto.id, department: proto.department, line: proto.line, name: proto.name,
                  plannedCount: Int(proto.plannedCount), plannedInvestment: investment,
                  investmentQualifier: proto.investmentQualifier, milestone: milestone, sortOrder: sortOrder)
        campaign = proto.campaign.isEmpty ? nil : proto.campaign
    }
}
