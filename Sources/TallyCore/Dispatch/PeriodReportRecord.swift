import Foundation

/// Where a period report stands in the central office's review (审核). Its figures count from the
/// moment it is reported, whatever this says.
public enum ReviewState: String, Sendable, Hashable, Codable, CaseIterable {
    case submitted
    case accepted
    case returned
}

/// A department's period report as recorded for review (Schema/007 `tally_period_report_json`).
public struct PeriodReportRecord: Sendable, Hashable, Decodable {
    /// "R12", given by the server.
    public var id: String
    public var department: String
    /// The reporting period it counts for ("2023-06").
    public var period: String
    /// Credential id of the clerk who sent it.
    @Defaulted public var credential: String = ""
    @Defaulted public var requestId: String = ""
    @Defaulted public var note: String = ""
    /// Its updates' range in the change log.
    @DefaultZero public var firstSequence: Int64 = 0
    @DefaultZero public var lastSequence: Int64 = 0
    @UnixInstant public var submittedAt: Date
    @Defaulted public var reviewState: ReviewState = .submitted
    @Defaulted public var reviewComment: String = ""
    @UnixInstantIfAny public var reviewedAt: Date? = nil
    public var reviewedBy: String? = nil
    /// The returned report this one corrects.
    public var resubmits: String? = nil
    /// The resubmission that corrects this one.
    public var correctedBy: String? = nil
    /// The dispatch this report answers.
    public var dispatch: String? = nil

    enum CodingKeys: String, CodingKey {
        case id, department, period, credential, requestId = "request_id", note
        case firstSequence = "first_sequence", lastSequence = "last_sequence", submittedAt = "submitted_ms"
        case reviewState = "review_state", reviewComment = "review_comment", reviewedAt = "reviewed_ms"
        case reviewedBy = "reviewed_by", resubmits, correctedBy = "corrected_by", dispatch
    }
}

extension ReviewState: FieldDefault {
    /// A report not yet reviewed.
    public static var whenMissing: ReviewState { .submitted }
}
