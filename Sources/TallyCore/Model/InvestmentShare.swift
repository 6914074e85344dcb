import Foundation
import TallyMessages

/// A co-reporting department's own share of a shared project's completed investment (a row of
/// `project_shares`): the plan says which co-department has one, the department reports it. Part of
/// the project's figure, which the lead owns; shown beside it and never added to any total.
public struct InvestmentShare: Sendable, Hashable, Codable {
    public var department: String
    /// 亿元.
    public var investmentCompleted: Decimal

    public init(department: String, investmentCompleted: Decimal = 0) {
        self.department = department
        self.investmentCompleted = investmentCompleted
    }

    enum CodingKeys: String, CodingKey {
        case department
        case investmentCompleted = "investment_completed"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        department = try container.decode(String.self, forKey: .department)
        investmentCompleted = try container.decodeExact(.investmentCompleted, default: 0)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(department, forKey: .department)
        try container.encodeExact(investmentCompleted, forKey: .investmentCompleted)
    }

    /// The wire message of this share.
    public var proto: Tally_V1_InvestmentShare {
        var message = Tally_V1_InvestmentShare()
        message.department = department
        message.investmentCompleted = investmentCompleted.exactString
        return message
    }
}
