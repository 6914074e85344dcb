import Foundation
import TallyMessages

/// A project (a row of `projects` plus its co-reporting departments from `project_departments`).
///
/// It has one lead department; co-reporting departments may report on it too, and totals count it once.
public struct ProjectRecord: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var leadDepartment: String
    public var coDepartments: [String]
    public var line: String
    /// Batch id; nil for projects outside any batch (the research platforms).
    public var batch: String?
    /// 亿元; nil when unknown.
    public var plannedInvestment: Decimal?
    /// 亿元.
    public var investmentCompleted: Decimal
    /// 0...100.
    public var percent: Decimal
    public var stage: Stage
    public var version: Int64
    public var sortOrder: Int
    /// The campaign (year period) it belongs to; nil in a plan document, where the document's year says it.
    public var campaign: String?
    /// Co-reporting departments that report their own share of the investment, with what they
    /// reported: part of `investmentCompleted` (the lead's), never added to it.
    public var shares: [InvestmentShare] = []
    public var updatedAt: Date?

    public init(id: String, name: String, leadDepartment: String, coDepartments: [String] = [], line: String,
                batch: String?, plannedInvestment: Decimal? = nil, investmentCompleted: Decimal = 0,
                percent: Decimal = 0, stage: Stage = .planned, version: Int64 = 1, sortOrder: Int = 0,
                updatedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.leadDepartment = leadDepartment
        self.coDepartments = coDepartments
        self.line = line
        self.batch = batch
        self.plannedInvestment = plannedInvestment
        self.investmentCompleted = investmentCompleted
        self.percent = percent
        self.stage = stage
        self.version = version
        self.sortOrder = sortOrder
        self.updatedAt = updatedAt
    }

    /// Whether the department leads or co-reports this project.
    public func involves(_ department: String) -> Bool {
        leadDepartment == department || coDepartments.contains(department)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, line, batch, percent, stage, version
        case leadDepartment = "lead_department"
        case coDepartments = "co_departments"
        case plannedInvestment = "planned_investment"
        case investmentCompleted = "investment_completed"
        case sortOrder = "sort_order"
        case campaign, shares
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        leadDepartment = try container.decode(String.self, forKey: .leadDepartment)
        coDepartments = try container.decode(.coDepartments, default: [])
        line = try container.decode(String.self, forKey: .line)
        batch = try container.decodeIfPresent(String.self, forKey: .batch)
        plannedInvestment = try container.decodeExactIfPresent(.plannedInvestment)
        investmentCompleted = try container.decodeExact(.investmentCompleted, default: 0)
        percent = try container.decodeExact(.percent, default: 0)
        stage = try container.decode(.stage, default: .planned)
        version = try container.decode(.version, default: 1)
        sortOrder = try container.decode(.sortOrder, default: 0)
        campaign = try container.decodeIfPresent(String.self, forKey: .campaign)
        shares = try container.decode(.shares, default: [])
        updatedAt = try container.decodeTimestampIfPresent(.updatedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(leadDepartment, forKey: .leadDepartment)
        try container.encode(coDepartments, forKey: .coDepartments)
        try container.encode(line, forKey: .line)
        if let batch { try container.encode(batch, forKey: .batch) } else { try container.encodeNil(forKey: .batch) }
        try container.encodeExact(plannedInvestment, forKey: .plannedInvestment)
        try container.encodeExact(investmentCompleted, forKey: .investmentCompleted)
        try container.encodeExact(percent, forKey: .percent)
        try container.encode(stage, forKey: .stage)
        try container.encode(version, forKey: .version)
        try container.encode(sortOrder, forKey: .sortOrder)
        try container.encodeIfPresent(campaign, forKey: .campaign)
        if !shares.isEmpty { try container.encode(shares, forKey: .shares) }
        try container.encodeTimestamp(updatedAt, forKey: .updatedAt)
    }

    /// The wire message of this project (decimals as exact strings, empty when unknown).
    public var proto: Tally_V1_Project {
        var message = Tally_V1_Project()
        message.id = id
        message.name = name
        message.leadDepartment = leadDepartment
        message.coDepartments = coDepartments
        message.line = line
        message.batch = batch ?? ""
        message.plannedInvestment = plannedInvestment?.exactString ?? ""
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
        guard let stage = Stage(proto: proto.stage) else { return nil }
        func parse(_ text: String) -> Decimal?? {
            if text.isEmpty { return .some(nil) }
            guard let value = Decimal(exact: text) else { return nil }
            return .some(value)
        }
        guard let planned = parse(proto.plannedInvestment), let completed = parse(proto.investmentCompleted),
              let percent = parse(proto.percent) else { return nil }
        var shares: [InvestmentShare] = []
        for share in proto.shares {
            guard let figure = parse(share.investmentCompleted) else { return nil }
            shares.append(InvestmentShare(department: share.department, investmentCompleted: figure ?? 0))
        }
        self.init(id: proto.id, name: proto.name, leadDepartment: proto.leadDepartment,
                  coDepartments: proto.coDepartments, line: proto.line,
                  batch: proto.batch.isEmpty ? nil : proto.batch, plannedInvestment: planned,
                  investmentCompleted: completed ?? 0, percent: percent ?? 0, stage: stage,
                  version: proto.version, sortOrder: sortOrder)
        self.campaign = proto.campaign.isEmpty ? nil : proto.campaign
        self.shares = shares
    }

    /// The department's own share, when the plan gives it one.
    public func share(of department: String) -> InvestmentShare? {
        shares.first { $0.department == department }
    }
}
