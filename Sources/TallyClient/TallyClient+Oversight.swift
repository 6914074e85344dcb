import Foundation
import TallyMessages

/// Central-office calls (`tally.v1.Oversight`): totals, live changes and history.
extension TallyClient {
    /// The dashboard now, or at `asOf` (the instant used for the elapsed fraction of the year), of a
    /// campaign ("2024"; nil: the one running then, else the latest finished).
    public func dashboard(asOf: Date? = nil, campaign: String? = nil) async throws -> Tally_V1_Dashboard {
        try await getDashboard(.with {
            $0.campaign = campaign ?? ""
            if let asOf { $0.asOfUnixMs = asOf.unixMilliseconds }
        })
    }

    /// Watches changes: with 0, a snapshot first and then every change; otherwise the changes after
    /// `afterSequence`. The stream ends with an error when the connection is lost (see `watchResuming`).
    /// `campaign` ("2024"; nil: the server's default) chooses the snapshot and whose totals come along.
    public func watch(afterSequence: Int64 = 0, campaign: String? = nil) -> AsyncThrowingStream<Tally_V1_WatchEvent, Error> {
        var request = Tally_V1_WatchRequest()
        request.afterSequence = afterSequence
        request.campaign = campaign ?? ""
        return rpc.serverStreaming(Tally_V1_Oversight.Method.watch, request, metadata: metadata, timeout: nil)
    }

    /// The most recent changes of one target or project, newest first (`limit` 0 means 100).
    public func history(subjectID: String, limit: Int32 = 0) async throws -> [Tally_V1_Change] {
        try await history(.with {
            $0.subjectID = subjectID
            $0.limit = limit
        }).changes
    }

    /// A campaign's plan as it stands (central office or admin), or one department's part of it;
    /// nil campaign: the one running now, else the latest finished.
    public func listPlan(department: String? = nil, campaign: String? = nil) async throws -> Tally_V1_ListPlanResponse {
        try await listPlan(.with {
            $0.department = department ?? ""
            $0.campaign = campaign ?? ""
        })
    }
}
