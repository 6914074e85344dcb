import TallyWire

/// Runs `body` and returns its result, or throws DEADLINE_EXCEEDED naming `what` when it has not
/// finished within `limit` (the body is then cancelled). For waits on events that might never come.
public func within<T: Sendable>(_ limit: Duration, _ what: String,
                                _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw RPCError(.deadlineExceeded, "\(what) did not happen within \(limit)")
        }
        return value
    }
}
