import ArgumentParser
import Foundation
import TallyPresentation

/// The `FILE` of `tally plan validate|diff|apply`: a plan file on this machine.
struct PlanFileArgument: ParsableArguments {
    @Argument(help: "The plan file (JSON).")
    var file: String

    /// The file's text, or a usage error naming it.
    func text(_ lang: Language) throws -> String {
        do {
            return try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw CLIError(.usage, lang.pick(zh: "无法读取 \(file)：\(error.localizedDescription)",
                                             en: "cannot read \(file): \(error.localizedDescription)"))
        }
    }
}
