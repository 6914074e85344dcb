import Foundation
import TallyMessages
import TallyRPC
import TallyWire

/// One department's `Office/WatchInbox`: its inbox as it stands, then each committed change that
/// concerns it: a dispatch addressed to it (created, answered, closed) and a review of its reports.
/// Reads the server's ``WatchHub`` like `Oversight/Watch`, keeping only those changes.
struct InboxWatch: Sendable {
    let hub: WatchHub
    let totals: LiveTotals

    func run(department: String, _ writer: ResponseWriter<Tally_V1_InboxEvent>) async throws {
        let start = hub.subscribe(after: totals.sequence)
        defer { hub.unsubscribe(start.subscription) }
        // The snapshot is taken after subscribing: every later change is in the subscription, and
        // the ones the snapshot already holds are skipped by sequence.
        let state = totals.snapshot
        var first = Tally_V1_InboxEvent()
        first.sequence = state.sequence
        first.snapshot = OfficeService.inbox(of: department, in: state, at: totals.now())
        try await writer.send(first)
        var lastSent = state.sequence
        for event in start.initial {
            if case .change(let change) = event.event, change.change.sequence > lastSent,
               let inboxEvent = Self.event(change, for: department) {
                try await writer.send(inboxEvent)
                lastSent = change.change.sequence
            }
        }
        for await delivery in start.subscription.events where delivery.sequence > lastSent {
            let event = try Tally_V1_WatchEvent(serializedBytes: delivery.bytes)
            guard case .change(let change) = event.event, let inboxEvent = Self.event(change, for: department) else { continue }
            try await writer.send(inboxEvent)
            lastSent = delivery.sequence
        }
        if start.subscription.overflowed {
            throw RPCError(.resourceExhausted, "inbox watcher too slow: more than \(hub.watcherCapacity) changes queued; call Inbox and watch again")
        }
        throw RPCError(.unavailable, "server shutting down; call Inbox and watch again")
    }

    /// The inbox event a change makes for the department, or nil when it does not concern it.
    static func event(_ change: Tally_V1_ChangeEvent, for department: String) -> Tally_V1_InboxEvent? {
        var event = Tally_V1_InboxEvent()
        event.sequence = change.change.sequence
        switch change.change.kind {
        case ChangeKind.dispatch.rawValue where change.dispatch.recipients.contains { $0.department == department }:
            var dispatch = change.dispatch
            dispatch.recipients = dispatch.recipients.filter { $0.department == department }
            dispatch.answered = Int32(dispatch.recipients.filter { $0.state == .answered }.count)
            dispatch.overdue = Int32(dispatch.recipients.filter { $0.state == .overdue }.count)
            event.dispatch = dispatch
        case ChangeKind.review.rawValue where change.report.department == department:
            event.report = change.report
        default:
            return nil
        }
        return event
    }
}
