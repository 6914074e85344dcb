import Foundation
import TallyClient
import TallyWire

extension Outbox {
    /// Delivers the client's queue as soon as the server can be reached, and keeps at it until
    /// nothing is queued for that server, the credential is refused, or the task is cancelled: a program runs this in the
    /// background after a write came back `.queued`. Between unreachable attempts it backs off as
    /// SPEC.md 9.3 advises: from 100 ms, doubling to `maxBackoff`, with jitter. Returns every item
    /// delivered or refused on the way.
    public func deliverUntilEmpty(using client: TallyClient, maxBackoff: Duration = .seconds(5)) async -> OutboxDelivery {
        var total = OutboxDelivery()
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled {
            let run = await deliver(using: client)
            total.delivered += run.delivered
            total.failed += run.failed
            total.remaining = run.remaining
            total.stoppedBy = run.stoppedBy
            // Nothing left, or a refused credential that waiting will not fix.
            if run.remaining == 0 || run.credentialRefused { break }
            if !run.delivered.isEmpty || !run.failed.isEmpty { backoff = .milliseconds(100) }
            do {
                try await Task.sleep(for: backoff * Double.random(in: 0.5...1.0))
            } catch {
                break
            }
            backoff = min(backoff * 2, maxBackoff)
        }
        return total
    }
}
