/// "did you mean `list`?" for a mistyped subcommand (`tally lisst`), by edit distance.
enum CommandSuggestion {
    /// The message for `word` when it names no subcommand, else nil.
    static func problem(with word: String, among names: [String]) -> String? {
        guard !word.hasPrefix("-"), !names.contains(word), word != "help" else { return nil }
        let best = names.map { (name: $0, distance: distance(word, $0)) }.min { $0.distance < $1.distance }
        var message = "unknown command `\(word)`"
        if let best, best.distance <= max(2, word.count / 3) { message += "; did you mean `\(best.name)`?" }
        return message + " (see `tally --help`)"
    }

    /// Levenshtein distance between two words.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
