import Foundation
import TallyMessages

/// A project (a row of `projects` plus its co-reporting departments from `project_departments`).
///
/// It has one lead department; co-reporting departments may report on it too, and totals count it once.
public struct ProjectRecord: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var leadDepartment: String
    @Defaulted public var coDepartments: [String] = []
    public var line: String
    /// Batch id; nil for projects outside any batch (the research platforms).
    @OrNull public var batch: String?
    /// 亿元; nil when unknown.
    @ExactOrNull public var plannedInvestment: Decimal? = nil
    /// 亿元.
    @ExactOrZero public var investmentCompleted: Decimal = 0
    /// 0...100.
    @ExactOrZero public var percent: Decimal = 0
    @Defaulted public var stage: Stage = .planned
    @DefaultOne public var version: Int64 = 1
    @DefaultZero public var sortOrder: Int = 0
    /// The campaign (year period) it belongs to; nil in a plan document, where the document's year says it.
    public var campaign: String? = nil
    /// Co-reporting departments that report their own share of the investment, with what they
    /// reported: part of `investmentCompleted` (the lead's), never added to it.
    @OmittedIfEmpty public var shares: [InvestmentShare] = []
    @InstantIfAny public var updatedAt: Date? = nil

    /// Whether the department leads or co-reports this project.
    public func involves(_ department: String) -> Bool {
        leadDepartment == department || coDepartments.contains(department)
    }

    /// The department's own share, when the plan gives it one.
    public func share(of department: String) -> InvestmentShare? {
        shares.first { $0.department == department }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, leadDepartment = "lead_department", coDepartments = "co_departments", line, batch
        case plannedInvestment = "planned_investment", investmentCompleted = "investment_completed", percent
        case stage, version, sortOrder = "sort_order", campaign, shares, updatedAt = "updated_at"
    }
}

extension ProjectRecord {
    /// The wire message of this project (decimals as exact strings, empty when unknown).
    public var proto: Tally_V1_Project {
        var message = Tally_V1_Project()
        message.id = id
        message.name = name
        message.leadDepartment = leadDepartment
        message.coDepartments = coDepartments
        message.line = line
        message.batch = batch ?? ""
        message.plannedInvestment = plannedInvestment.wireText
        message.investmentCompleted = investmentCompleted.exactString
        message.percent = percent.exactString
        message.stage = stage.proto
        message.version = version
        message.campaign = campaign ?? ""
        message.shares = shares.map(\.proto)
        return message
    }

    /// A project from its wire message; nil when a decimal is not exact text or the stage is unspecified.
    /// Empty investment completed and percent read as 0.
    public init?(proto: Tally_V1_Project, sortOrder: Int = 0) {
        guard let stage = Stage(proto: proto.stage), let planned = Decimal.wire(proto.plannedInvestment),
              let completed = Decimal.wire(proto.investmentCompleted), let percent = Decimal.wire(proto.percent)
        else { return nil }
        var shares: [InvestmentShare] = []
        for share in proto.shares {
            guard let figure = Decimal.wire(share.investmentCompleted) else { return nil }
            shares.append(InvestmentShare(department: share.department, investmentCompleted: figure ?? 0))
        }
        self.init(id: proto.id, name: proto.name, leadDepartment: proto.leadDepartment,
                  coDepartments: proto.coDepartments, line: proto.line, batch: proto.batch.nonEmpty,
                  plannedInvestment: planned, investmentCompleted: completed ?? 0, percent: percent ?? 0,
                  stage: stage, version: proto.version, sortOrder: sortOrder, campaign: proto.campaign.nonEmpty,
                  shares: shares)
    }
}
