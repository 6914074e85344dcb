import Foundation
import TallyMessages
import TallyStore

extension ReportingService {
    /// The project's current state when a report would change nothing (the same stage, investment
    /// and percent it already has), so that re-sending it is a no-op: no new version, no log entry.
    /// nil whenever the writer must decide: a correction, a version to check, a project that does
    /// not exist or is not the department's (the writer then gives its usual answer).
    func unchangedProject(_ request: Tally_V1_ReportProjectRequest, department: String) async throws -> ProjectRecord? {
        guard !request.correction, request.expectedVersion == 0, !request.projectID.isEmpty else { return nil }
        let id = request.projectID
        let found = try await pool.serving { connection in
            try connection.executePrepared("SELECT tally_project_json($1)::text", [.text(id)]).rows.first
                .flatMap { try $0.decode(String?.self, at: 0) }
        }
        guard let json = found, let project = try? EntityJSON.decode(ProjectRecord.self, from: json),
              project.involves(department) else { return nil }
        let sameStage = request.stage == .unspecified || Stage(proto: request.stage) == project.stage
        let sameInvestment = request.investmentCompleted.isEmpty
            || Decimal(exact: request.investmentCompleted).map { $0 == project.investmentCompleted } ?? false
        let samePercent = request.percent.isEmpty || Decimal(exact: request.percent).map { $0 == project.percent } ?? false
        let sameShare = request.shareInvestment.isEmpty || Decimal(exact: request.shareInvestment).map {
            $0 == project.share(of: department)?.investmentCompleted
        } ?? false
        let givesSomething = request.stage != .unspecified || !request.investmentCompleted.isEmpty || !request.percent.isEmpty
            || !request.shareInvestment.isEmpty
        return givesSomething && sameStage && sameInvestment && samePercent && sameShare ? project : nil
    }
}
