import Foundation
import TallyMessages

/// A co-reporting department's own share of a shared project's completed investment (a row of
/// `project_shares`): the plan says which co-department has one, the department reports it. Part of
/// the project's figure, which the lead owns; shown beside it and never added to any total.
public struct InvestmentShare: Sendable, Hashable, Codable {
    public var department: String
    /// 亿元.
    @ExactOrZero public var investmentCompleted: Decimal = 0

    enum CodingKeys: String, CodingKey {
        case department, investmentCompleted = "investment_completed"
    }

    /// The wire message of this share.
    public var proto: Tally_V1_InvestmentShare {
        var message = Tally_V1_InvestmentShare()
        message.department = department
        message.investmentCompleted = investmentCompleted.exactString
        return message
    }
}
