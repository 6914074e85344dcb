import Foundation
import TallyMessages

/// Target updates typed on the command line as `ID=VALUE` (`tally answer --add/--set`).
enum UpdateArguments {
    /// The updates of `--set ID=V` and `--add ID=V` (in that order); nil names the first bad one.
    static func updates(set: [String], add: [String]) -> Result<[Tally_V1_Update], UpdateArgumentError> {
        var updates: [Tally_V1_Update] = []
        for (texts, isSet) in [(set, true), (add, false)] {
            for text in texts {
                guard let equals = text.lastIndex(of: "="), equals != text.startIndex,
                      let value = InputValues.decimal(String(text[text.index(after: equals)...])) else {
                    return .failure(UpdateArgumentError(text: text))
                }
                var target = Tally_V1_ReportTargetRequest()
                target.targetID = String(text[..<equals])
                if isSet { target.setValue = value } else { target.increment = value }
                var update = Tally_V1_Update()
                update.target = target
                updates.append(update)
            }
        }
        return .success(updates)
    }
}

/// An `ID=VALUE` argument that is not one.
struct UpdateArgumentError: Error {
    var text: String
}
