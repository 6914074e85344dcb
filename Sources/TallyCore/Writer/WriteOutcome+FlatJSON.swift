extension WriteOutcome {
    /// The outcomes `tally_apply_batch` answers when each is flat (a sequence, flags, an error code
    /// and message: every plain increment's answer), read without `JSONDecoder` (``FlatJSON``); nil
    /// when any holds more (a record, error metadata): decode those with `JSONDecoder`.
    static func flatOutcomes(_ json: String) -> [WriteOutcome]? {
        guard let objects = FlatJSON.objects(in: json) else { return nil }
        var outcomes: [WriteOutcome] = []
        outcomes.reserveCapacity(objects.count)
        for object in objects {
            var outcome = WriteOutcome()
            for (key, value) in object {
                switch (key, value) {
                case (_, .null): continue
                case ("error", .string(let text)): outcome.error = text
                case ("message", .string(let text)): outcome.message = text
                case ("sequence", .integer(let number)): outcome.sequence = number
                case ("first_sequence", .integer(let number)): outcome.first_sequence = number
                case ("last_sequence", .integer(let number)): outcome.last_sequence = number
                case ("replayed", .bool(let flag)): outcome.replayed = flag
                case ("target_logged", .bool(let flag)): outcome.target_logged = flag
                default: return nil
                }
            }
            outcomes.append(outcome)
        }
        return outcomes
    }
}
