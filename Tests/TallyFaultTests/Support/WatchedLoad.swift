import TallyClient
import TallyServerTestSupport

/// The load a database fault runs under: four department clients writing in a loop (retrying with
/// the same request id) and a central-office watcher that resumes after every cut.
final class WatchedLoad: Sendable {
    let seen = SequenceLog()
    let ledger = Ledger()
    private let watching: Task<Void, Error>
    private let running: Task<Void, Never>

    init(_ server: TallyTestServer) {
        let seen = self.seen
        let ledger = self.ledger
        let watcherClient = server.client(server.centralToken, timeout: .seconds(3))
        watching = Task {
            for try await event in watcherClient.watchResuming(
                backoff: ReconnectBackoff(initial: .milliseconds(50), maximum: .milliseconds(500)),
                onReconnect: { _ in seen.reconnected() }) {
                seen.add(event)
            }
        }
        let clients = (0..<2).flatMap { index in [
            (client: server.client(server.marineToken, timeout: .seconds(3)), targets: Plan.marineTargets, name: "m\(index)"),
            (client: server.client(server.yinzhuToken, timeout: .seconds(3)), targets: Plan.yinzhuTargets, name: "y\(index)"),
        ] }
        running = Task { await DepartmentLoad(clients: clients, pause: .milliseconds(5)).run(ledger) }
    }

    /// Stops the writers (each finishes or gives up its current update).
    func stopWriting() async {
        ledger.stop()
        await running.value
    }

    /// Stops the watcher.
    func stopWatching() {
        watching.cancel()
    }
}
