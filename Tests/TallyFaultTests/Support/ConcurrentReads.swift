import TallyClient

/// Many reads at once, to meet every pooled database connection.
enum ConcurrentReads {
    /// Runs `count` ListMine calls at once, spread over `clients`; returns how many succeeded and the
    /// failures' texts.
    static func listMine(_ clients: [TallyClient], count: Int) async throws
        -> (succeeded: Int, failures: [String])
    {
        try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<count {
                let client = clients[index % clients.count]
                group.addTask {
                    do {
                        let mine = try await client.listMine()
                        return mine.targets.isEmpty ? "ListMine answered no targets" : nil
                    } catch {
                        return "\(error)"
                    }
                }
            }
            var succeeded = 0
            var failures: [String] = []
            for try await failure in group {
                if let failure { failures.append(failure) } else { succeeded += 1 }
            }
            return (succeeded, failures)
        }
    }
}
