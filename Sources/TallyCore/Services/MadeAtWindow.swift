import Foundation
import TallyWire

/// The bounded window in which a server accepts a report made before it arrived (a client's offline
/// outbox, SPEC.md 11 "Reports made earlier"): not in the future beyond a small clock skew, and not
/// after its period closed, that is its due day plus a grace.
struct MadeAtWindow: Sendable {
    /// How far ahead of the server's clock a client's clock may run.
    var clockSkew: TimeInterval
    /// How long after the due day of its period a report made in time is still accepted.
    var grace: TimeInterval
    var calendar = CampaignCalendar()

    /// A write's timing: when it was made and the period it counts for.
    struct Stamp: Sendable {
        var madeAt: Date
        var period: String
    }

    /// Whether a write was made by a client on the real clock while this server's campaign clock is
    /// pinned (`tally serve --pin-now`, demos and tests): its `made_at` lies nearer the wall clock
    /// than the pinned now. Such a write counts as made at the pinned now, as if it named no time;
    /// otherwise every report from a real clock would be "in the future" of a pinned server.
    static func isOnTheWallClock(_ madeAtUnixMs: Int64, pinnedNow: Date, wallNow: Date) -> Bool {
        guard madeAtUnixMs > 0 else { return false }
        let madeAt = Date(timeIntervalSince1970: TimeInterval(madeAtUnixMs) / 1000)
        return abs(madeAt.timeIntervalSince(wallNow)) < abs(madeAt.timeIntervalSince(pinnedNow))
    }

    /// Checks `made_at_unix_ms` against the server's clock `now`; nil when the request names no time
    /// (it is made as it arrives). `period` is the one the request names, else the CST month it was
    /// made in. Without `closing`, a period already closed is not refused (a report made just now
    /// into a finished campaign: late, not delivered late).
    func stamp(_ madeAtUnixMs: Int64, period named: String? = nil, now: Date, closing: Bool = true) throws(RPCError) -> Stamp? {
        guard let stamp = try unchecked(madeAtUnixMs, period: named) else { return nil }
        if stamp.madeAt.timeIntervalSince(now) > clockSkew {
            throw RPCError(.invalidArgument, """
                made_at_unix_ms: \(Timestamp.format(stamp.madeAt)) is in the future (server time \(Timestamp.format(now)), \
                allowed clock skew \(Int(clockSkew)) s); check the client's clock
                """)
        }
        guard let record = calendar.period(stamp.period) else {
            throw RPCError(.invalidArgument, "period: \"\(stamp.period.prefix(20))\" is not a period such as 2023-03")
        }
        let closes = record.dueAt.addingTimeInterval(grace)
        if closing, now >= closes {
            throw RPCError(.failedPrecondition, """
                period \(stamp.period) is closed: a report made at \(Timestamp.format(stamp.madeAt)) was due by \
                \(Timestamp.format(record.dueAt)) and late deliveries were accepted until \(Timestamp.format(closes)) \
                (server time \(Timestamp.format(now))); report it again for the current period
                """)
        }
        return stamp
    }

    /// The stamp without the window's checks: for a request already applied, whose replay must carry
    /// the same `made_at` as its first delivery (it is part of the request's fingerprint).
    func unchecked(_ madeAtUnixMs: Int64, period named: String? = nil) throws(RPCError) -> Stamp? {
        guard madeAtUnixMs != 0 else { return nil }
        guard madeAtUnixMs > 0 else {
            throw RPCError(.invalidArgument, "made_at_unix_ms: must not be negative")
        }
        let madeAt = Date(timeIntervalSince1970: TimeInterval(madeAtUnixMs) / 1000)
        return Stamp(madeAt: madeAt, period: named ?? calendar.monthPeriod(of: madeAt))
    }
}

extension WriteCommand.Envelope {
    /// Counts the command for the period its stamp names and hands `made_at` to the change log.
    mutating func apply(_ stamp: MadeAtWindow.Stamp?) {
        guard let stamp else { return }
        period = stamp.period
        made_at = Timestamp.format(stamp.madeAt)
    }
}
