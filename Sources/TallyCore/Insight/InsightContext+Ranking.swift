import Foundation
import TallyMessages

/// Why a ranking cannot be made for the period asked.
public struct RankingPeriodError: Error, Sendable, Hashable {
    public var message: String
}

extension InsightContext {
    /// The ranking rule, in words (SPEC.md 11, "Early warning, forecast and ranking"; `Ranking.rule`).
    public static let rankingRule = "ordered by pace (mean completion minus elapsed time, in points, to one decimal), then by the share of due monthly reports sent for their month, then by the share of due 调度 requests answered on time; departments equal on all three share a rank. 红榜 (red): pace at or above elapsed time, the latest due report sent and no request overdue. 黑榜 (black): behind by more than the tolerance, or the latest due report missing, or a request overdue."

    /// The ranking (红黑榜) for a month of the campaign: at its end for a finished month, at the
    /// instant for the current one (nil: the month the instant falls in, the last month once finished).
    public func ranking(period requested: String?) throws(RankingPeriodError) -> Tally_V1_Ranking {
        let current = CampaignPhase(state: state, at: instant, calendar: calendar).reportingPeriod
        let code = requested ?? current
        guard let month = months.first(where: { $0.code == code }) else {
            throw RankingPeriodError(message: "period: \(code) is not a month of the \(state.year) campaign")
        }
        guard month.startsAt <= instant else {
            throw RankingPeriodError(message: "period: \(code) has not begun (the campaign clock is at \(calendar.monthPeriod(of: instant)))")
        }
        let at = min(month.endsAt, instant)
        let elapsed = elapsedPercent(at: at)
        let due = months.filter { $0.dueAt <= at }
        var rows = Self.sorted(departments.map { department in
            rankingRow(department, month: month, at: at, elapsed: elapsed, due: due)
        })
        let keys = rows.map(Self.rankKey)
        var rank: Int32 = 0
        for index in rows.indices {
            if index == 0 || keys[index] != keys[index - 1] { rank = Int32(index + 1) }
            rows[index].rank = rank
        }
        var ranking = Tally_V1_Ranking()
        ranking.period = code
        ranking.elapsedPercent = DashboardBuilder.percentString(elapsed)
        ranking.rule = Self.rankingRule
        ranking.rows = rows
        return ranking
    }

    private func rankingRow(_ department: DepartmentRecord, month: PeriodRecord, at: Date, elapsed: Decimal,
                            due: [PeriodRecord]) -> Tally_V1_RankingRow {
        let targets = state.targets(of: department.code)
        let finished = month.endsAt <= instant
        let completions = targets.map { target in
            finished ? evaluation(of: target, atEndOf: month).completion : builder.completion(of: target)
        }
        let completion = completions.isEmpty ? Decimal(0) : completions.reduce(Decimal(0), +) / Decimal(completions.count)
        let reported = state.reportedPeriods(of: department.code)
        let answers = dispatch.answers[department.code] ?? DispatchInputs.Answers()
        var row = Tally_V1_RankingRow()
        row.department = department.code
        row.completionPercent = DashboardBuilder.percentString(completion)
        row.pacePoints = DashboardBuilder.percentString(completion - elapsed)
        row.reportsDue = Int32(clamping: due.count)
        row.reportsOnTime = Int32(clamping: due.filter { reported.contains($0.code) }.count)
        row.requestsDue = Int32(clamping: answers.due)
        row.requestsOnTime = Int32(clamping: answers.onTime)
        let latestMissing = due.last.map { !reported.contains($0.code) } ?? false
        let pace = (completion - elapsed).rounded(scale: 1)
        if pace < -builder.tolerance || latestMissing || answers.overdue > 0 {
            row.board = .black
        } else if pace >= 0 {
            row.board = .red
        } else {
            row.board = .none
        }
        return row
    }

    /// The sort key of a row: larger is better on every field.
    private static func rankKey(_ row: Tally_V1_RankingRow) -> [Decimal] {
        [Decimal(exact: row.pacePoints) ?? 0,
         share(row.reportsOnTime, of: row.reportsDue),
         share(row.requestsOnTime, of: row.requestsDue)]
    }

    /// on / due, 1 when nothing was due (nothing due is no fault).
    private static func share(_ on: Int32, of due: Int32) -> Decimal {
        due == 0 ? 1 : Decimal(Int(on)) / Decimal(Int(due))
    }

    /// Rows sorted best first (stable: equal rows keep the departments' display order).
    static func sorted(_ rows: [Tally_V1_RankingRow]) -> [Tally_V1_RankingRow] {
        let keyed = rows.enumerated().map { (key: rankKey($1), index: $0, row: $1) }
        return keyed.sorted { left, right in
            for (l, r) in zip(left.key, right.key) where l != r { return l > r }
            return left.index < right.index
        }.map(\.row)
    }
}
