import Foundation
import XCTest
@testable import TallyCore

/// Figure and percent text and progress computed on integers (``DecimalParts``, ``ProgressTally``)
/// must be what the `Decimal` arithmetic they replace gives, byte for byte.
final class FormatIntegerDecimalTests: XCTestCase {
    /// A fixed sequence of pseudo-random numbers (a linear congruential one), so a failure repeats.
    private struct Numbers {
        var state: UInt64

        mutating func next(in range: ClosedRange<Int64>) -> Int64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound + Int64((state >> 20) % UInt64(range.upperBound - range.lowerBound + 1))
        }
    }

    /// Values of every shape: whole, fractional, negative, zero, huge, quotients with 38 digits,
    /// half-way points of one decimal place.
    private func samples() throws -> [Decimal] {
        var random = Numbers(state: 11)
        var values: [Decimal] = [0, 1, -1, 100, 99.95, 0.05, -0.05, 0.04999, 12.25, -12.25, 0.5, 9.95, 99.999999995,
                                 Decimal(1) / Decimal(3) * 100, Decimal(2) / Decimal(3) * 100, Decimal(-1) / Decimal(7),
                                 Decimal(sign: .plus, exponent: 30, significand: 7),
                                 Decimal(sign: .minus, exponent: -30, significand: 7),
                                 Decimal(sign: .plus, exponent: 100, significand: 123),
                                 Decimal(sign: .plus, exponent: -100, significand: 123),
                                 try XCTUnwrap(Decimal(exact: "123456789012345678.123456")),
                                 try XCTUnwrap(Decimal(exact: "-999999999999999999.999999")),
                                 Decimal(UInt64.max) * Decimal(UInt64.max)]
        for _ in 0..<3_000 {
            let numerator = Decimal(random.next(in: -10_000_000...10_000_000))
            let denominator = Decimal(random.next(in: 1...100_000))
            let scale = Int(random.next(in: -8...8))
            let quotient = numerator / denominator * 100
            values.append(quotient)
            values.append(Decimal(sign: .plus, exponent: -scale, significand: numerator))
            values.append(min(max(quotient, 0), 100))
            values.append(quotient.rounded(scale: Int(random.next(in: 0...3))) + Decimal(sign: .plus, exponent: -2, significand: 5))
        }
        return values
    }

    func testTheStorageLayoutHolds() {
        XCTAssertTrue(DecimalParts.layoutHolds, "the integer paths are off: Decimal's storage changed")
        XCTAssertNil(DecimalParts(.nan))
    }

    func testExactStringAndPercentStringAsWithDecimal() throws {
        for value in try samples() {
            XCTAssertEqual(value.exactString, value.describedExactString, "\(value)")
            XCTAssertEqual(DashboardBuilder.percentString(value), value.rounded(scale: 1).describedExactString, "\(value)")
        }
    }

    func testUnitsAreTheRoundedValue() throws {
        for value in try samples() {
            for scale in [0, 1, 8] {
                guard let units = DecimalParts(value)?.scaled(scale) else {
                    XCTAssertGreaterThan(abs(value) * Decimal(sign: .plus, exponent: scale, significand: 1), Decimal(Int64.max) - 1,
                                         "\(value) at scale \(scale)")
                    continue
                }
                XCTAssertEqual(Decimal(units), value.rounded(scale: scale) * Decimal(sign: .plus, exponent: scale, significand: 1),
                               "\(value) at scale \(scale)")
                if let bound = DecimalParts(value)?.floorScaled(scale) {
                    let shifted = value * Decimal(sign: .plus, exponent: scale, significand: 1)
                    XCTAssertTrue(Decimal(bound.floor) <= shifted && shifted < Decimal(bound.floor) + 1, "\(value)")
                    XCTAssertEqual(bound.exact, Decimal(bound.floor) == shifted, "\(value)")
                }
            }
        }
    }

    /// The progress `Decimal` arithmetic gave: a sum of completions rounded to 8 places, its mean, the
    /// mean's percent text and its standing.
    private func referenceProgress(_ evaluations: [TargetEvaluation], elapsed: Decimal,
                                   builder: DashboardBuilder) -> (percent: String, standing: Standing) {
        let sum = evaluations.reduce(Decimal(0)) { $0 + $1.completion.rounded(scale: ProgressTally.scale) }
        let mean = sum / Decimal(evaluations.count)
        return (mean.rounded(scale: 1).describedExactString, builder.standing(completion: mean, elapsedPercent: elapsed))
    }

    func testProgressAsWithDecimal() throws {
        var random = Numbers(state: 5)
        let builder = DashboardBuilder(tolerance: 10)
        let target = TargetRecord(id: "t", department: "d", line: "d/l", name: "t", unit: "个", targetFigure: 7, period: "2023")
        let completions: [Decimal] = [0, 100, 50, 0.05, 0.15, 33.333333335, 99.99999999, 100 / Decimal(3), 200 / Decimal(3),
                                      100 / Decimal(7), 49.95, 10.05]
        var checked = 0
        for round in 0..<4_000 {
            let count = round < 200 ? Int(random.next(in: 1...3)) : Int(random.next(in: 1...40))
            let evaluations = (0..<count).map { _ in
                let completion = random.next(in: 0...1) == 0 ? completions[Int(random.next(in: 0...Int64(completions.count - 1)))]
                    : Decimal(random.next(in: 0...1_000_000)) / Decimal(random.next(in: 1_000...1_000_000)) * 100
                let capped = min(max(completion, 0), 100)
                let standing = [Standing.met, .onTrack, .amber, .behind, .missed][Int(random.next(in: 0...4))]
                return TargetEvaluation(target: target, completion: capped, standing: standing)
            }
            let sum = evaluations.reduce(Decimal(0)) { $0 + $1.completion.rounded(scale: ProgressTally.scale) }
            // Elapsed shares of every kind, including the exact mean and values next to it.
            let elapsedChoices: [Decimal] = [0, 100, 50, sum / Decimal(count), sum / Decimal(count) + 10,
                                             sum / Decimal(count) + Decimal(sign: .plus, exponent: -12, significand: 1),
                                             sum / Decimal(count) - Decimal(sign: .plus, exponent: -12, significand: 1),
                                             Decimal(random.next(in: 0...31_536_000_000)) / 31_536_000_000 * 100]
            for elapsed in elapsedChoices {
                let tally = ProgressTally(evaluations)
                let progress = tally.progress(elapsed: elapsed, builder: builder)
                let expected = referenceProgress(evaluations, elapsed: elapsed, builder: builder)
                XCTAssertEqual(progress.completionPercent, expected.percent, "\(evaluations.map(\.completion)) at \(elapsed)")
                XCTAssertEqual(progress.standing, expected.standing.proto, "\(evaluations.map(\.completion)) at \(elapsed)")
                XCTAssertEqual(tally.meanPercentText, tally.mean.rounded(scale: 1).describedExactString)
                checked += 1
            }
        }
        XCTAssertEqual(checked, 32_000)
    }

    /// A target's completion text, units and standing from ``CompletionRatio`` are those of the
    /// `Decimal` completion, for figures of every size, sign and direction, tasks, and elapsed shares
    /// that equal a completion or lie next to it.
    func testTargetEvaluationAsWithDecimal() throws {
        var random = Numbers(state: 3)
        let builder = DashboardBuilder(tolerance: 10)
        let state = PlanState(plan: .default2023)
        let calendar = CampaignCalendar()
        let year = try XCTUnwrap(calendar.period("2023"))
        let figures = ["0", "1", "3", "7", "30", "0.5", "-2", "1000000", "123456789012345678.123456",
                       "99999999999999999999.999999999999999999", "0.000001", "45", "15", "13", "29.99", "300"]
        var ratios = 0
        for round in 0..<6_000 {
            let goalText = round < 400 ? figures[round % figures.count] : String(random.next(in: -5...2_000_000))
            let currentText = round < 400 ? figures[(round / figures.count) % figures.count]
                : "\(random.next(in: -5...3_000_000)).\(random.next(in: 0...999))"
            let goal = try XCTUnwrap(Decimal(exact: goalText, maxIntegerDigits: 20, maxFractionDigits: 18))
            let current = try XCTUnwrap(Decimal(exact: currentText, maxIntegerDigits: 20, maxFractionDigits: 18))
            let unit = round % 11 == 0 ? TargetRecord.taskUnit : "个"
            let direction: Direction = round % 3 == 0 ? .atMost : .atLeast
            let target = TargetRecord(id: "t", department: "yinzhu", line: "yinzhu/industry", name: "t", unit: unit,
                                      direction: direction, targetFigure: goal, currentFigure: current, period: "2023")
            let completion = builder.completion(of: target)
            if CompletionRatio(of: target) != nil { ratios += 1 }
            // Instants whose elapsed share is the completion, next to it, or anywhere.
            let share = min(max(completion, 0), 100) / 100
            let milliseconds = Double(truncating: (share * 31_536_000_000) as NSDecimalNumber)
            let instants = [year.startsAt.addingTimeInterval(milliseconds / 1000),
                            year.startsAt.addingTimeInterval(milliseconds / 1000 + 0.001),
                            year.startsAt.addingTimeInterval(Double(random.next(in: 0...31_536_000)))]
            for instant in instants {
                let evaluation = builder.evaluate(target, in: state, at: instant)
                let elapsed = calendar.elapsedFraction(of: year, at: instant) * 100
                let expected = direction == .atMost && unit != TargetRecord.taskUnit
                    ? (current <= goal ? Standing.met : (elapsed >= 100 ? .missed : .behind))
                    : builder.standing(completion: completion, elapsedPercent: elapsed)
                XCTAssertEqual(evaluation.standing, expected, "\(currentText) of \(goalText) \(direction) at \(elapsed)")
                XCTAssertEqual(evaluation.completion, completion)
                XCTAssertEqual(evaluation.proto.completionPercent, completion.rounded(scale: 1).describedExactString,
                               "\(currentText) of \(goalText) \(direction)")
                XCTAssertEqual(evaluation.completionUnits(ProgressTally.scale).map { Decimal($0) },
                               completion.rounded(scale: ProgressTally.scale) * 100_000_000, "\(currentText) of \(goalText)")
            }
        }
        XCTAssertGreaterThan(ratios, 5_000, "most completions are worked out on integers")
    }

    /// Removing what was added leaves the tally as if it never was (the sum is exact).
    func testAddingAndRemovingIsExact() {
        let target = TargetRecord(id: "t", department: "d", line: "d/l", name: "t", unit: "个", targetFigure: 7, period: "2023")
        let evaluations = (1...50).map { TargetEvaluation(target: target, completion: Decimal($0) / 7 * 100 / 8, standing: .behind) }
        var tally = ProgressTally()
        for evaluation in evaluations { tally.add(evaluation) }
        for evaluation in evaluations.dropFirst(10) { tally.remove(evaluation) }
        XCTAssertEqual(tally, ProgressTally(evaluations.prefix(10)))
    }
}
