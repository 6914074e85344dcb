import ArgumentParser
import Foundation
import TallyMessages
import TallyPresentation

/// `tally register`: a department registers a project in one of its batches.
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a project in one of your department's batches (department token).",
        discussion: """
        The plan names only some members of a batch; the others are registered here as they are \
        signed. The project id is made from the name unless --project-id is given.

        Example:
          tally register yinzhu/industry/landing-projects --name 某新材料项目 \\
              --planned-investment 2.5
          tally register yinzhu/industry/landing-projects --name 冷链物流园 \\
              --stage signed --co-department marine-hitech
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The batch's id (see the batches of `tally list`).")
    var batchID: String

    @Option(name: .long, help: "The project's name.")
    var name: String

    @Option(name: .long, help: "A stable id for the project (default: made from the name).")
    var projectID: String?

    @Option(name: .long, help: "Planned investment in 亿元 (decimal).")
    var plannedInvestment: String?

    @Option(name: .long, help: "Stage it is at (default planned); see `tally report project --help`.")
    var stage: String?

    @Option(name: .customLong("co-department"), help: "A department that reports on it too (repeatable).")
    var coDepartments: [String] = []

    @OptionGroup var write: WriteOptions

    func validate() throws {
        if let stage, InputValues.stage(stage) == nil { throw ValidationError("unknown stage `\(stage)`") }
        _ = try InputValues.checkedDecimal(plannedInvestment)
    }

    func run() async throws {
        var request = Tally_V1_RegisterProjectRequest()
        request.requestID = write.resolvedRequestID
        request.batchID = batchID
        request.name = name
        request.projectID = projectID ?? ""
        request.plannedInvestment = plannedInvestment.flatMap(InputValues.decimal) ?? ""
        request.stage = stage.flatMap(InputValues.stage) ?? .unspecified
        request.coDepartments = coDepartments
        request.note = write.note ?? ""
        let (response, lang) = try await OutboxSession.send(.registerProject(request), connection, \.registerProject)
        let p = response.project
        WriteReceipt.show(lang.pick(
            zh: "已登记 \(p.id)「\(p.name)」到批次 \(p.batch)：\(OfficeFormat.stage(p.stage, lang))，版本 \(p.version)，序号 #\(response.sequence)",
            en: "Registered \(p.id) (\(p.name)) in batch \(p.batch): \(OfficeFormat.stage(p.stage, lang)), version \(p.version), sequence #\(response.sequence)"),
            replayed: response.replayed, requestID: request.requestID, lang)
    }
}
