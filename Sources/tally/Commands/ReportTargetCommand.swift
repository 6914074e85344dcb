import ArgumentParser
import Foundation
import TallyMessages
import TallyPresentation

/// `tally report target`: sets or increments one target's figure.
struct ReportTargetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "target",
        abstract: "Set (--set) or increment (--add) a target's current figure.",
        discussion: """
        A request id (a fresh UUID unless --request-id is given) makes a retry safe: the server \
        answers a repeated id with the first result and changes nothing. --expect-version fails \
        the report if someone changed the target since you read it (see `tally list`).

        Example:
          tally report target yinzhu/industry/high-tech-enterprises --add 3 \\
              --note 第二批认定
          tally report target yinzhu/industry/fixed-asset-investment --set 41.5 \\
              --unit 亿元 --expect-version 7
          tally report target yinzhu/industry/high-tech-enterprises --add -1
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The target's id, e.g. yinzhu/industry/fixed-asset-investment (see `tally list`).")
    var targetID: String

    @Option(name: .customLong("set"), parsing: .unconditional,
            help: "New absolute figure (decimal). The word after --set is always its value.")
    var setValue: String?

    @Option(name: .customLong("add"), parsing: .unconditional,
            help: "Amount added to the current figure (decimal, may be negative: --add -5 and --add=-5 both work; the word after --add is always its value).")
    var increment: String?

    @Option(name: .long, help: "Unit of the figure; checked against the target's unit.")
    var unit: String?

    @Option(name: .long, help: "Fail unless the target is at this version.")
    var expectVersion: Int64?

    @OptionGroup var write: WriteOptions

    func validate() throws {
        guard (setValue == nil) != (increment == nil) else {
            throw ValidationError("give exactly one of --set V or --add V")
        }
        _ = try InputValues.checkedDecimal(setValue ?? increment)
    }

    func run() async throws {
        var request = Tally_V1_ReportTargetRequest()
        request.requestID = write.resolvedRequestID
        request.targetID = targetID
        if let setValue, let value = InputValues.decimal(setValue) { request.setValue = value }
        if let increment, let value = InputValues.decimal(increment) { request.increment = value }
        request.unit = unit ?? ""
        request.expectedVersion = expectVersion ?? 0
        request.note = write.note ?? ""
        let (response, lang) = try await OutboxSession.send(.reportTarget(request), connection, \.reportTarget)
        let t = response.target
        let figures = "\(OfficeFormat.decimal(t.currentFigure, digits: 4)) / \(OfficeFormat.decimal(t.targetFigure, digits: 4)) \(t.unit)"
        WriteReceipt.show(lang.pick(
            zh: "已上报 \(t.id)「\(t.name)」：当前 \(figures)，版本 \(t.version)，序号 #\(response.sequence)",
            en: "Reported \(t.id) (\(t.name)): now \(figures), version \(t.version), sequence #\(response.sequence)"),
            replayed: response.replayed, requestID: request.requestID, lang)
    }
}
