import Foundation
import TallyClient
import TallyMessages
import TallyPresentation

/// The demo's round of the central office's weekly work: a 调度 request to both departments, one
/// answering with a period report, the list of who answered; then that report returned with a
/// comment (the department hears of it on its inbox watch), corrected by a resubmission, accepted.
struct DemoOfficeRound: Sendable {
    var port: Int
    var centralToken: String
    /// The department that answers (and whose report is returned), then the one that stays silent.
    var answering: DemoReporter
    var silent: DemoReporter
    /// The server's (pinned) now: the request is due two days later.
    var now: Date

    func run(lang: Language) async throws {
        let central = TallyClient(host: "127.0.0.1", port: port, token: centralToken, peerName: "tally-demo/office")
        let department = TallyClient(host: "127.0.0.1", port: port, token: answering.token, peerName: "tally-demo/\(answering.code)-office")
        do {
            try await round(central, department, lang: lang)
        } catch {
            await central.close()
            await department.close()
            throw error
        }
        await central.close()
        await department.close()
    }

    private func round(_ central: TallyClient, _ department: TallyClient, lang: Language) async throws {
        let who = "[\(answering.code)]"
        let office = "[\(lang.pick(zh: "中心", en: "central"))]"
        Console.out()
        Console.out(lang.pick(zh: "—— 调度与审核 ——", en: "—— 调度 and review ——"))

        // The department watches its inbox: the request and the return reach it as they commit.
        let inbox = department.watchInbox()
        var events = inbox.makeAsyncIterator()
        _ = try await events.next()

        let mine = try await department.listMine()
        guard let target = mine.targets.first(where: { (Decimal(string: $0.targetFigure) ?? 0) > 1 }) else { return }
        let dispatch = try await central.createDispatch(
            title: lang.pick(zh: "报送本月\(target.name)进度", en: "Report this month's \(target.name)"),
            instructions: lang.pick(zh: "请说明进度并附报表", en: "Explain the progress and attach a report"),
            departments: [answering.code, silent.code], subjects: [target.id], due: now.addingTimeInterval(2 * 86_400))
        Console.out("\(office) " + lang.pick(zh: "发出调度 \(dispatch.id)「\(dispatch.title)」，截止 \(OfficeFormat.dateTime(unixMs: dispatch.dueUnixMs))",
                                             en: "sends dispatch \(dispatch.id) \"\(dispatch.title)\", due \(OfficeFormat.dateTime(unixMs: dispatch.dueUnixMs))"))
        if case .dispatch(let arrived) = try await events.next()?.event {
            Console.out("\(who) " + lang.pick(zh: "收件箱收到调度 \(arrived.id)", en: "inbox receives dispatch \(arrived.id)"))
        }

        var update = Tally_V1_Update()
        update.target.targetID = target.id
        update.target.increment = "1"
        let answer = try await department.answerDispatch(dispatch.id, answer: lang.pick(zh: "本月新增1，详见报表", en: "1 more this month, see the report"),
                                                         updates: [update], reportNote: lang.pick(zh: "调度答复", en: "answer to the dispatch"))
        Console.out("\(who) " + lang.pick(zh: "答复 \(dispatch.id) 并随附报表 \(answer.report.id)", en: "answers \(dispatch.id) with report \(answer.report.id)"))
        let listed = try await central.listDispatches()
        if let row = listed.dispatches.first(where: { $0.id == dispatch.id }) {
            Console.out(OfficeText.dispatch(row, lang: lang))
        }

        _ = try await central.returnReport(answer.report.id, comment: lang.pick(zh: "数字与统计口径不符，请核实后更正", en: "The figure does not match the statistics; check and correct it"))
        Console.out("\(office) " + lang.pick(zh: "退回报表 \(answer.report.id)", en: "returns report \(answer.report.id)"))
        while let event = try await events.next() {
            guard case .report(let report) = event.event, report.reviewState == .returned else { continue }
            Console.out("\(who) " + lang.pick(zh: "收到退回：\(report.id)，意见「\(report.reviewComment)」",
                                              en: "told of the return of \(report.id): \"\(report.reviewComment)\""))
            break
        }
        var correction = Tally_V1_SubmitPeriodReportRequest()
        correction.requestID = UUID().uuidString
        correction.resubmits = answer.report.id
        correction.note = lang.pick(zh: "按意见更正", en: "corrected as asked")
        var fix = Tally_V1_Update()
        fix.target.targetID = target.id
        fix.target.increment = "-0.5"
        correction.updates = [fix]
        let corrected = try await department.submitPeriodReport(correction)
        Console.out("\(who) " + lang.pick(zh: "提交更正报表 \(corrected.report.id)（更正 \(answer.report.id)）",
                                          en: "submits correction \(corrected.report.id) (corrects \(answer.report.id))"))
        _ = try await central.acceptReport(corrected.report.id)
        Console.out("\(office) " + lang.pick(zh: "审核通过 \(corrected.report.id)", en: "accepts \(corrected.report.id)"))
        Console.out(OfficeText.reports(try await central.listReports(department: answering.code), lang: lang))
    }
}
