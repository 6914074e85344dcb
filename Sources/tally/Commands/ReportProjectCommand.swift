import ArgumentParser
import Foundation
import TallyMessages
import TallyPresentation

/// `tally report project`: moves a project's stage, investment or percent.
struct ReportProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Report a project's stage, completed investment (亿元) or percent.",
        discussion: """
        Stages: planned/谋划, signed/签约, land-acquired/拿地, under-construction/在建, \
        completed/竣工, in-production/投产 (operating/运营); under_construction with an \
        underscore works too. Moving a stage back needs --correction with --reason. Reporting \
        the values a project already has changes nothing and says "unchanged".

        Example:
          tally report project p-qianjian-medical-north --stage signed --investment 5.2
          tally report project p-dongjiazhuang-village --stage planned \\
              --correction --reason 录入错误
          tally report project p-shengyuan-liquid-protein --share 1.5
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The project's id (see `tally list`).")
    var projectID: String

    @Option(name: .long, help: "New stage.")
    var stage: String?

    @Option(name: .long, parsing: .unconditional,
            help: "Investment completed so far, in 亿元 (decimal; the word after --investment is always its value, so --investment -5 reaches the server's check).")
    var investment: String?

    @Option(name: .long, parsing: .unconditional, help: "Percent complete, 0..100 (decimal).")
    var percent: String?

    @Option(name: .long, parsing: .unconditional,
            help: "A co-reporting department's own share of the investment, in 亿元 (decimal), where the plan gives it one; --investment stays the lead's.")
    var share: String?

    @Flag(name: .long, help: "This report corrects an earlier one (needed to move a stage back).")
    var correction = false

    @Option(name: .long, help: "Why the correction is made (required with --correction).")
    var reason: String?

    @Option(name: .long, help: "Fail unless the project is at this version.")
    var expectVersion: Int64?

    @OptionGroup var write: WriteOptions

    func validate() throws {
        guard stage != nil || investment != nil || percent != nil || share != nil else {
            throw ValidationError("give at least one of --stage, --investment, --percent, --share")
        }
        if let share, InputValues.decimal(share) == nil { throw ValidationError("`\(share)` is not a decimal number") }
        if let stage, InputValues.stage(stage) == nil { throw ValidationError("unknown stage `\(stage)`") }
        _ = try InputValues.checkedDecimal(investment)
        if let percent {
            guard let value = InputValues.decimal(percent).flatMap({ Decimal(string: $0) }), value >= 0, value <= 100 else {
                throw ValidationError("--percent must be a number from 0 to 100")
            }
        }
        if correction && (reason ?? "").isEmpty { throw ValidationError("--correction needs --reason") }
        if !correction && reason != nil { throw ValidationError("--reason goes with --correction") }
    }

    func run() async throws {
        var request = Tally_V1_ReportProjectRequest()
        request.requestID = write.resolvedRequestID
        request.projectID = projectID
        request.stage = stage.flatMap(InputValues.stage) ?? .unspecified
        request.investmentCompleted = investment.flatMap(InputValues.decimal) ?? ""
        request.percent = percent.flatMap(InputValues.decimal) ?? ""
        request.shareInvestment = share.flatMap(InputValues.decimal) ?? ""
        request.correction = correction
        request.correctionReason = reason ?? ""
        request.expectedVersion = expectVersion ?? 0
        request.note = write.note ?? ""
        let (response, lang) = try await OutboxSession.send(.reportProject(request), connection, \.reportProject)
        let p = response.project
        if response.unchanged {
            Console.out(lang.pick(
                zh: "未改动：\(p.id)「\(p.name)」已是 \(OfficeFormat.stage(p.stage, lang))，完成投资 \(OfficeFormat.money(yi: p.investmentCompleted, lang))，进度 \(OfficeFormat.decimal(p.percent))%（版本 \(p.version)）",
                en: "unchanged: \(p.id) (\(p.name)) is already \(OfficeFormat.stage(p.stage, lang)), invested \(OfficeFormat.money(yi: p.investmentCompleted, lang)), \(OfficeFormat.decimal(p.percent))% (version \(p.version))"))
            return
        }
        let shares = p.shares.map { lang.pick(zh: "，\($0.department) 份额 \(OfficeFormat.money(yi: $0.investmentCompleted, lang))",
                                              en: ", \($0.department)'s share \(OfficeFormat.money(yi: $0.investmentCompleted, lang))") }.joined()
        WriteReceipt.show(lang.pick(
            zh: "已上报 \(p.id)「\(p.name)」：\(OfficeFormat.stage(p.stage, lang))，完成投资 \(OfficeFormat.money(yi: p.investmentCompleted, lang))\(shares)，进度 \(OfficeFormat.decimal(p.percent))%，版本 \(p.version)，序号 #\(response.sequence)",
            en: "Reported \(p.id) (\(p.name)): \(OfficeFormat.stage(p.stage, lang)), invested \(OfficeFormat.money(yi: p.investmentCompleted, lang))\(shares), \(OfficeFormat.decimal(p.percent))%, version \(p.version), sequence #\(response.sequence)"),
            replayed: response.replayed, requestID: request.requestID, lang)
    }
}
