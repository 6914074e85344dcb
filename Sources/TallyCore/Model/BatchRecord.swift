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
    @ExactOrNull public var plannedInvestment: Decimal?
    /// "", "近" (nearly), "超" (over), "不低于" (at least).
    @Defaulted public var investmentQualifier: String = ""
    /// The stage members should reach this year.
    public var milestone: Stage
    @DefaultZero public var sortOrder: Int = 0
    /// The campaign (year period) it belongs to; nil in a plan document, where the document's year says it.
    public var campaign: String? = nil

    enum CodingKeys: String, CodingKey {
        case id, department, line, name
        case plannedCount = "planned_count", plannedInvestment = "planned_investment"
        case investmentQualifier = "investment_qualifier", milestone, sortOrder = "sort_order", campaign
    }
}

extension BatchRecord {
    /// The wire message of this batch (empty investment when the plan names none).
    public var proto: Tally_V1_Batch {
        var message = Tally_V1_Batch()
        message.place(self)
        message.plannedCount = Int32(clamping: plannedCount)
        message.plannedInvestment = plannedInvestment.wireText
        message.investmentQualifier = investmentQualifier
        message.milestone = milestone.proto
        message.campaign = campaign ?? ""
        return message
    }

    /// A batch from its wire message; nil when the milestone is unspecified or the investment is not exact text.
    public init?(proto: Tally_V1_Batch, sortOrder: Int = 0) {
        guard let milestone = Stage(proto: proto.milestone), let investment = Decimal.wire(proto.plannedInvestment)
        else { return nil }
        self.init(id: proto.id, department: proto.department, line: proto.line, name: proto.name,
                  plannedCount: Int(proto.plannedCount), plannedInvestment: investment,
                  investmentQualifier: proto.investmentQualifier, milestone: milestone, sortOrder: sortOrder,
                  campaign: proto.campaign.nonEmpty)
    }
}
