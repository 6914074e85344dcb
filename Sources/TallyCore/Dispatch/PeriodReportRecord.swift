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
    public var credential: String
    public var requestId: String
    public var note: String
    /// Its updates' range in the change log.
    public var firstSequence: Int64
    public var lastSequence: Int64
    public var submittedAt: Date
    public var reviewState: ReviewState
    public var reviewComment: String
    public var reviewedAt: Date?
    public var reviewedBy: String?
    /// The returned report this one corrects.
    public var resubmits: String?
    /// The resubmission that corrects this one.
    public var correctedBy: String?
    /// The dispatch this report answers.
    public var dispatch: String?

    /// A report as recorded; the server gives ids ("R12") and instants (its now).
    public init(id: String, department: String, period: String, credential: String = "", requestId: String = "",
                note: String = "", firstSequence: Int64 = 0, lastSequence: Int64 = 0, submittedAt: Date,
                reviewState: ReviewState = .submitted, reviewComment: String = "", reviewedAt: Date? = nil,
                reviewedBy: String? = nil, resubmits: String? = nil, correctedBy: String? = nil, dispatch: String? = nil) {
        self.id = id
        self.department = department
        self.period = period
        self.credential = credential
        self.requestId = requestId
        self.note = note
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.submittedAt = submittedAt
        self.reviewState = reviewState
        self.reviewComment = reviewComment
        self.reviewedAt = reviewedAt
        self.reviewedBy = reviewedBy
        self.resubmits = resubmits
        self.correctedBy = correctedBy
        self.dispatch = dispatch
    }

    enum CodingKeys: String, CodingKey {
        case id, department, period, credential, note, resubmits, dispatch
        case requestId = "request_id"
        case firstSequence = "first_sequence"
        case lastSequence = "last_sequence"
        case submittedAt = "submitted_ms"
        case reviewState = "review_state"
        case reviewComment = "review_comment"
        case reviewedAt = "reviewed_ms"
        case reviewedBy = "reviewed_by"
        case correctedBy = "corrected_by"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        department = try container.decode(String.self, forKey: .department)
        period = try container.decode(String.self, forKey: .period)
        credential = try container.decode(.credential, default: "")
        requestId = try container.decode(.requestId, default: "")
        note = try container.decode(.note, default: "")
        firstSequence = try container.decode(.firstSequence, default: 0)
        lastSequence = try container.decode(.lastSequence, default: 0)
        submittedAt = try container.decodeMilliseconds(.submittedAt)
        reviewState = try container.decode(.reviewState, default: .submitted)
        reviewComment = try container.decode(.reviewComment, default: "")
        reviewedAt = try container.decodeMillisecondsIfPresent(.reviewedAt)
        reviewedBy = try container.decodeIfPresent(String.self, forKey: .reviewedBy)
        resubmits = try container.decodeIfPresent(String.self, forKey: .resubmits)
        correctedBy = try container.decodeIfPresent(String.self, forKey: .correctedBy)
        dispatch = try container.decodeIfPresent(String.self, forKey: .dispatch)
    }
}
