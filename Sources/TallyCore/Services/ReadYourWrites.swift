import TallyRPC

/// Read-your-writes as a router step: a method registered with it (`interceptors: readYourWrites`)
/// runs only once the in-memory totals include every write this server has acknowledged, so a
/// client that was just told "committed" reads what it wrote. Commits are applied just after they
/// are acknowledged, so the wait is short (and bounded, see ``LiveTotals/waitUntilIncludes(_:timeout:)``).
struct ReadYourWrites: ServerInterceptor {
    let totals: LiveTotals
    let writer: Writer

    /// Waits until the totals include the writer's last acknowledged write.
    func wait() async {
        await totals.waitUntilIncludes(writer.lastAcknowledgedSequence)
    }

    func intercept(_ context: ServerContext, access: MethodAccess) async throws -> ServerContext {
        await wait()
        return context
    }
}
