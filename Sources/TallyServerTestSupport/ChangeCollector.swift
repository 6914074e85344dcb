import Foundation
import TallyMessages

/// The change events a watch stream delivers up to sequence `last`; after `limit` without it,
/// what arrived so far (a test then fails on the missing sequences instead of hanging).
public func changeEvents(_ stream: AsyncThrowingStream<Tally_V1_WatchEvent, Error>, through last: Int64,
                         limit: Duration = .seconds(60)) async throws -> [Tally_V1_ChangeEvent] {
    try await withThrowingTaskGroup(of: [Tally_V1_ChangeEvent]?.self) { group in
        group.addTask {
            var changes: [Tally_V1_ChangeEvent] = []
            for try await event in stream {
                guard case .change(let change) = event.event else { continue }
                changes.append(change)
                if change.change.sequence >= last { break }
            }
            return changes
        }
        group.addTask {
            try? await Task.sleep(for: limit)
            return nil
        }
        let first = try await group.next() ?? nil
        group.cancelAll()
        return first ?? []
    }
}
