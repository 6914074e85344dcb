import Foundation

/// What applying a plan document would change in the database, record by record, in foreign-key
/// order (periods, campaign, departments, lines, targets, batches, projects), each said in words.
/// Departments and lines are the organisation, shared by campaigns: they are compared with all the
/// database has, the rest with the campaign's own records.
///
/// Only what a plan decides is compared: reported state (current figures, invested amounts, percent,
/// stage of an existing project, versions) stays as the departments left it. Records the database
/// holds for the campaign but the document leaves out are kept and named in `kept`: a plan never
/// deletes what has history.
public struct PlanDiff: Sendable {
    /// One record to add or change.
    public struct Change: Sendable {
        /// "campaign", "period", "department", "line", "target", "batch" or "project".
        public var entityType: String
        public var id: String
        /// "add target 2024/yinzhu/x 固定资产投资", "change target 2024/yinzhu/x: target_figure 30 → 35".
        public var words: String
        /// The record as the document has it (JSON object), with the version it was written at.
        public var entity: Data
    }

    public var changes: [Change]
    /// "target 2023/x is not in the file: kept" for each record the document leaves out.
    public var kept: [String]

    /// The changes from `current` (nil: a campaign new to the database) and the organisation
    /// (every department and line the database has) to `proposed`.
    public init(current: PlanDocument?, departments: [DepartmentRecord], lines: [LineRecord], proposed: PlanDocument) throws {
        var changes: [Change] = []
        var kept: [String] = []
        let campaign = CampaignRecord(code: proposed.year, name: proposed.campaign, notes: proposed.notes,
                                      format: proposed.format, warnings: proposed.warnings)
        let currentCampaign = current.map {
            CampaignRecord(code: $0.year, name: $0.campaign, notes: $0.notes, format: $0.format, warnings: $0.warnings)
        }
        try Self.compare("period", proposed.periods, current?.periods ?? [], id: \.code, into: &changes, kept: &kept)
        try Self.compare("campaign", [campaign], currentCampaign.map { [$0] } ?? [], id: \.code,
                         into: &changes, kept: &kept)
        var organisation: [String] = []
        let proposedDepartments = Set(proposed.departments.map(\.code))
        let proposedLines = Set(proposed.lines.map(\.code))
        try Self.compare("department", proposed.departments, departments.filter { proposedDepartments.contains($0.code) },
                         id: \.code, into: &changes, kept: &organisation)
        try Self.compare("line", proposed.lines, lines.filter { proposedLines.contains($0.code) }, id: \.code,
                         into: &changes, kept: &organisation)
        try Self.compare("target", proposed.targets, current?.targets ?? [], id: \.id, into: &changes, kept: &kept) {
            proposed, existing in
            var plan = proposed.versioned(like: existing)
            plan.currentFigure = existing.currentFigure
            return plan
        }
        try Self.compare("batch", proposed.batches, current?.batches ?? [], id: \.id, into: &changes, kept: &kept) {
            proposed, existing in
            var plan = proposed
            plan.campaign = existing.campaign
            return plan
        }
        try Self.compare("project", proposed.projects, current?.projects ?? [], id: \.id, into: &changes, kept: &kept) {
            proposed, existing in
            var plan = proposed.versioned(like: existing)
            plan.investmentCompleted = existing.investmentCompleted
            plan.percent = existing.percent
            plan.stage = existing.stage
            plan.shares = plan.shares.map { share in
                existing.share(of: share.department) ?? InvestmentShare(department: share.department)
            }
            plan.campaign = existing.campaign
            return plan
        }
        self.changes = changes
        self.kept = kept
    }

    /// Adds a change for each proposed record that is new or differs (after `reported` copies the
    /// existing record's reported state into the proposal), and names the existing ones left out.
    private static func compare<Record: Codable & Equatable>(
        _ type: String, _ proposed: [Record], _ existing: [Record], id: KeyPath<Record, String>,
        into changes: inout [Change], kept: inout [String],
        reported: (Record, Record) -> Record = { proposed, _ in proposed }
    ) throws {
        let byID = Dictionary(existing.map { ($0[keyPath: id], $0) }, uniquingKeysWith: { first, _ in first })
        let proposedIDs = Set(proposed.map { $0[keyPath: id] })
        for record in proposed {
            let key = record[keyPath: id]
            let entity = try JSONEncoder().encode(record)
            guard let old = byID[key] else {
                // A new record has no version to check against.
                var object = try JSONSerialization.jsonObject(with: entity) as? [String: Any] ?? [:]
                object["version"] = nil
                changes.append(Change(entityType: type, id: key, words: "add \(type) \(key)\(label(entity))",
                                      entity: try JSONSerialization.data(withJSONObject: object)))
                continue
            }
            let comparable = reported(record, old)
            guard comparable != old else { continue }
            let fields = try differences(from: JSONEncoder().encode(old), to: JSONEncoder().encode(comparable))
            changes.append(Change(entityType: type, id: key, words: "change \(type) \(key): \(fields)", entity: entity))
        }
        for record in existing where !proposedIDs.contains(record[keyPath: id]) {
            kept.append("\(type) \(record[keyPath: id]) is not in the file: kept (a plan never deletes)")
        }
    }

    /// " 固定资产投资" from a record's name, "" when it has none.
    private static func label(_ entity: Data) -> String {
        let object = (try? JSONSerialization.jsonObject(with: entity)) as? [String: Any]
        return (object?["name"] as? String).map { " \($0)" } ?? ""
    }

    /// "target_figure 30 → 35, name A → B" over the fields that differ.
    private static func differences(from old: Data, to new: Data) throws -> String {
        let before = try JSONSerialization.jsonObject(with: old) as? [String: Any] ?? [:]
        let after = try JSONSerialization.jsonObject(with: new) as? [String: Any] ?? [:]
        func text(_ value: Any?) -> String {
            switch value {
            case let string as String: string.isEmpty ? "\"\"" : string
            case let array as [Any]: "[" + array.map { text($0) }.joined(separator: ", ") + "]"
            case let object as [String: Any]: "{" + object.keys.sorted().map { "\($0): \(text(object[$0]))" }.joined(separator: ", ") + "}"
            case nil, is NSNull: "none"
            case let other?: "\(other)"
            }
        }
        return Set(before.keys).union(after.keys).sorted()
            .filter { text(before[$0]) != text(after[$0]) }
            .map { "\($0) \(text(before[$0])) → \(text(after[$0]))" }
            .joined(separator: ", ")
    }
}

/// A plan record the database versions: a plan file says neither its version nor when it last changed.
protocol VersionedRecord {
    var version: Int64 { get set }
    var updatedAt: Date? { get set }
}

extension VersionedRecord {
    /// This record with the existing one's version and time of its last change.
    func versioned(like existing: Self) -> Self {
        var record = self
        record.version = existing.version
        record.updatedAt = existing.updatedAt
        return record
    }
}

extension TargetRecord: VersionedRecord {}
extension ProjectRecord: VersionedRecord {}
