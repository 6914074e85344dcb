import Foundation
import TallyMessages

extension DispatchRecord {
    /// The wire message at an instant (each recipient's state then); `department` limits the
    /// recipients shown to that department's own (what a department credential may read).
    public func proto(at instant: Date, for department: String? = nil) -> Tally_V1_Dispatch {
        var message = Tally_V1_Dispatch()
        message.id = id
        message.title = title
        message.instructions = instructions
        message.subjects = subjects
        message.dueUnixMs = CivilDate.milliseconds(of: dueAt)
        message.createdUnixMs = CivilDate.milliseconds(of: createdAt)
        message.createdBy = createdBy
        message.closed = closedAt != nil
        message.closedUnixMs = closedAt.map(CivilDate.milliseconds(of:)) ?? 0
        for recipient in recipients where department == nil || recipient.department == department {
            var row = Tally_V1_DispatchRecipient()
            row.department = recipient.department
            row.answer = recipient.answer
            row.answeredUnixMs = recipient.answeredAt.map(CivilDate.milliseconds(of:)) ?? 0
            row.reportID = recipient.report ?? ""
            switch DispatchStanding.state(of: recipient, in: self, at: instant) {
            case .open: row.state = .open
            case .answered(let late):
                row.state = .answered
                row.late = late
                message.answered += 1
            case .overdue:
                row.state = .overdue
                message.overdue += 1
            }
            message.recipients.append(row)
        }
        return message
    }
}

extension PeriodReportRecord {
    /// The wire message.
    public var proto: Tally_V1_PeriodReport {
        var message = Tally_V1_PeriodReport()
        message.id = id
        message.department = department
        message.period = period
        message.note = note
        message.firstSequence = firstSequence
        message.lastSequence = lastSequence
        message.submittedUnixMs = CivilDate.milliseconds(of: submittedAt)
        message.reviewState = reviewState.proto
        message.reviewComment = reviewComment
        message.reviewedUnixMs = reviewedAt.map(CivilDate.milliseconds(of:)) ?? 0
        message.reviewedBy = reviewedBy ?? ""
        message.resubmits = resubmits ?? ""
        message.correctedBy = correctedBy ?? ""
        message.dispatchID = dispatch ?? ""
        message.requestID = requestId
        return message
    }
}

extension ReviewState {
    /// The wire enum.
    public var proto: Tally_V1_ReviewState {
        switch self {
        case .submitted: .submitted
        case .accepted: .accepted
        case .returned: .returned
        }
    }

    /// From the wire enum; nil for UNSPECIFIED or an unknown value.
    public init?(proto: Tally_V1_ReviewState) {
        switch proto {
        case .submitted: self = .submitted
        case .accepted: self = .accepted
        case .returned: self = .returned
        default: return nil
        }
    }
}

extension DispatchStanding {
    /// One row per department addressed, in the order of `departments`' codes given (others after, by code).
    public func protoRows(order: [String]) -> [Tally_V1_DispatchStandingRow] {
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return departments.keys.sorted { (rank[$0] ?? Int.max, $0) < (rank[$1] ?? Int.max, $1) }.map { code in
            let counts = departments[code] ?? Counts()
            var row = Tally_V1_DispatchStandingRow()
            row.department = code
            row.answeredOnTime = Int32(counts.answeredOnTime)
            row.answeredLate = Int32(counts.answeredLate)
            row.overdue = Int32(counts.overdue)
            row.open = Int32(counts.open)
            return row
        }
    }
}
