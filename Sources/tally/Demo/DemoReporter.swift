import Foundation
import TallyClient
import TallyMessages
import TallyPresentation

/// One department of the demo: each "week" it reports a share of a few targets over its own
/// connection, moves a project along, and (in the last week) sends a period report.
struct DemoReporter: Sendable {
    var code: String
    /// Percent of each target's figure added per week.
    var weeklyShare: Decimal
    var token: String

    func run(port: Int, weeks: Int, lang: Language) async throws {
        let client = TallyClient(host: "127.0.0.1", port: port, token: token, peerName: "tally-demo/\(code)")
        do {
            try await report(client, weeks: weeks, lang: lang)
        } catch {
            await client.close()
            throw error
        }
        await client.close()
    }

    private func report(_ client: TallyClient, weeks: Int, lang: Language) async throws {
        let mine = try await client.listMine()
        let name = mine.department.name
        let targets = mine.targets.filter { (Decimal(string: $0.targetFigure) ?? 0) > 1 }.prefix(4)
        // Stage and investment are the lead department's to report (a co-reporter sends progress only).
        let project = mine.projects.first { ($0.stage == .planned || $0.stage == .unspecified) && $0.leadDepartment == code }
        for week in 1...weeks {
            var updates: [Tally_V1_Update] = []
            for target in targets {
                var request = Tally_V1_ReportTargetRequest()
                request.requestID = UUID().uuidString.lowercased()
                request.targetID = target.id
                request.increment = increment(for: target)
                request.note = lang.pick(zh: "演示第\(week)周", en: "demo week \(week)")
                if week == weeks {
                    var update = Tally_V1_Update()
                    update.target = request
                    updates.append(update)
                    continue
                }
                let response = try await client.reportTarget(request)
                Console.out(lang.pick(
                    zh: "[\(name)] 第\(week)周 \(target.name) +\(request.increment) → \(OfficeFormat.decimal(response.target.currentFigure))/\(OfficeFormat.decimal(response.target.targetFigure)) \(target.unit)",
                    en: "[\(name)] week \(week) \(target.name) +\(request.increment) → \(OfficeFormat.decimal(response.target.currentFigure))/\(OfficeFormat.decimal(response.target.targetFigure)) \(target.unit)"))
            }
            if let project, week <= 3 {
                var request = Tally_V1_ReportProjectRequest()
                request.requestID = UUID().uuidString.lowercased()
                request.projectID = project.id
                request.stage = [Tally_V1_Stage.signed, .landAcquired, .underConstruction][week - 1]
                request.investmentCompleted = "\(Decimal(week) * 2)"
                let response = try await client.reportProject(request)
                Console.out("[\(name)] " + lang.pick(zh: "第\(week)周 项目 \(project.name) → \(OfficeFormat.stage(response.project.stage, lang))",
                                                      en: "week \(week) project \(project.name) → \(OfficeFormat.stage(response.project.stage, lang))"))
            }
            if !updates.isEmpty {
                var report = Tally_V1_SubmitPeriodReportRequest()
                report.requestID = UUID().uuidString.lowercased()
                report.updates = updates
                report.note = lang.pick(zh: "演示：期末汇总上报", en: "demo: end-of-period report")
                let response = try await client.submitPeriodReport(report)
                Console.out(lang.pick(zh: "[\(name)] 第\(week)周 汇总上报 \(updates.count) 项（序号 #\(response.firstSequence)–#\(response.lastSequence)，全部或全不）",
                                      en: "[\(name)] week \(week) period report of \(updates.count) updates (#\(response.firstSequence)–#\(response.lastSequence), all or none)"))
            }
            try await Task.sleep(for: .milliseconds(400))
        }
    }

    /// This week's increment: a share of the target, whole numbers for counts, 0.01 for money.
    private func increment(for target: Tally_V1_Target) -> String {
        let figure = Decimal(string: target.targetFigure) ?? 0
        let raw = figure * weeklyShare / 100
        let money = target.unit.contains("元")
        let rounded = Decimal(string: OfficeFormat.decimal(raw, digits: money ? 2 : 0)) ?? raw
        return "\(max(rounded, money ? Decimal(string: "0.01") ?? 0 : 1))"
    }
}
