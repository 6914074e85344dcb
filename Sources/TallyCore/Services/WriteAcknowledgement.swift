import TallyMessages

/// The answer to a single write: the change log sequence the change took, and whether the server
/// answered a repeated request id with its first result. Filled from the writer's outcome in one place.
protocol WriteAcknowledgement {
    init()
    var sequence: Int64 { get set }
    var replayed: Bool { get set }
}

extension WriteAcknowledgement {
    /// The answer to the write that had `outcome`.
    init(acknowledging outcome: WriteOutcome) {
        self.init()
        sequence = outcome.sequence ?? 0
        replayed = outcome.replayed ?? false
    }

    /// The answer to the write that had `outcome`, carrying the record it wrote (when it wrote one),
    /// placed by `carry`.
    init<Record>(acknowledging outcome: WriteOutcome, _ record: Record?, _ carry: (inout Self, Record) -> Void) {
        self.init(acknowledging: outcome)
        if let record { carry(&self, record) }
    }
}

extension Tally_V1_ReportTargetResponse: WriteAcknowledgement {}
extension Tally_V1_ReportProjectResponse: WriteAcknowledgement {}
extension Tally_V1_RegisterProjectResponse: WriteAcknowledgement {}
extension Tally_V1_AnswerDispatchResponse: WriteAcknowledgement {}
