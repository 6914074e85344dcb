import Foundation

/// The campaign plan as a document: the Codable model of Schema/plan-2023.json.
///
/// Keys are the SQL column names, numbers are exact decimal strings, instants are ISO 8601 with an offset.
public struct PlanDocument: Sendable, Hashable, Codable {
    /// Version of the document format (1).
    public var format: Int
    /// The campaign's name (创新突破年).
    public var campaign: String
    /// The campaign year's period code ("2023").
    public var year: String
    /// Decisions taken when turning the source text into data, in prose.
    public var notes: [String]
    /// The campaign's early-warning thresholds (`warnings`); nil: the server's settings.
    public var warnings: WarningRules?
    public var departments: [DepartmentRecord]
    public var lines: [LineRecord]
    public var periods: [PeriodRecord]
    public var targets: [TargetRecord]
    public var batches: [BatchRecord]
    public var projects: [ProjectRecord]

    public init(format: Int = 1, campaign: String, year: String, notes: [String] = [],
                departments: [DepartmentRecord], lines: [LineRecord], periods: [PeriodRecord],
                targets: [TargetRecord], batches: [BatchRecord], projects: [ProjectRecord], warnings: WarningRules? = nil) {
        self.format = format
        self.warnings = warnings
        self.campaign = campaign
        self.year = year
        self.notes = notes
        self.departments = departments
        self.lines = lines
        self.periods = periods
        self.targets = targets
        self.batches = batches
        self.projects = projects
    }

    /// Decodes a plan from its JSON text and checks that its references hold.
    public static func decode(_ json: String) throws -> PlanDocument {
        let document = try JSONDecoder().decode(PlanDocument.self, from: Data(json.utf8))
        try document.validate()
        return document
    }

    /// The default 2023 plan, decoded from the embedded Schema/plan-2023.json.
    ///
    /// The embedded document is checked by the test suite, so a failure here is a build defect.
    public static let default2023: PlanDocument = {
        do {
            return try decode(EmbeddedSchema.plan2023)
        } catch {
            preconditionFailure("embedded plan-2023.json is invalid: \(error)")
        }
    }()
}
