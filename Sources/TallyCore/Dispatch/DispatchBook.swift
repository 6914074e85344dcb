import Foundation

/// The central office's 调度 requests and the period reports under review, in memory beside the
/// totals (part of ``PlanState``): loaded at start, moved by each `dispatch` and `review` change of
/// the log, so dashboards, warnings and rankings read them without a query per call.
public struct DispatchBook: Sendable, Hashable {
    /// Requests by id.
    public var dispatches: [String: DispatchRecord]
    /// Period reports by id.
    public var reports: [String: PeriodReportRecord]

    public init(dispatches: [DispatchRecord] = [], reports: [PeriodReportRecord] = []) {
        self.dispatches = Dictionary(dispatches.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        self.reports = Dictionary(reports.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
    }

    /// Every department's standing with the requests at an instant.
    public func standing(at instant: Date) -> DispatchStanding {
        DispatchStanding(dispatches: dispatches.values, at: instant)
    }

    /// Requests newest first (by creation, then id).
    public var sortedDispatches: [DispatchRecord] {
        dispatches.values.sorted { ($0.createdAt, Self.number($0.id)) > ($1.createdAt, Self.number($1.id)) }
    }

    /// Reports newest first.
    public var sortedReports: [PeriodReportRecord] {
        reports.values.sorted { ($0.submittedAt, Self.number($0.id)) > ($1.submittedAt, Self.number($1.id)) }
    }

    /// The number in an id such as "D12" or "R3", for ordering ids made in the same instant.
    private static func number(_ id: String) -> Int { Int(id.dropFirst()) ?? 0 }

    /// Applies a `dispatch` or `review` change: its entity replaces the record. A resubmission also
    /// marks the returned report it corrects.
    mutating func apply(_ change: ChangeRecord) throws(PlanStateError) {
        switch change.kind {
        case .dispatch:
            let record = try Self.decode(DispatchRecord.self, change)
            dispatches[record.id] = record
        case .review:
            let record = try Self.decode(PeriodReportRecord.self, change)
            reports[record.id] = record
            if let previous = record.resubmits { reports[previous]?.correctedBy = record.id }
        default:
            break
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ change: ChangeRecord) throws(PlanStateError) -> T {
        let record: T
        do {
            record = try change.decodeEntity(type)
        } catch {
            throw PlanStateError(.badEntity, "change \(change.sequence): entity is not a \(T.self): \(error)")
        }
        return record
    }
}
