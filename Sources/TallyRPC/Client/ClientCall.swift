import Dispatch
import TallyWire

/// The runtime state of one call on the client. Confined to the client's queue.
final class ClientCall: @unchecked Sendable {
    // Every property is read and written on the owning ClientCore's queue only.
    var stream: UInt32?
    weak var connection: ClientConnection?
    private(set) var outcome: Result<[UInt8]?, Error>?
    /// The single response of a unary or client-streaming call.
    var response: [UInt8]?
    /// Streaming responses go here instead of `response`.
    var onMessage: (([UInt8]) -> Void)?
    /// Called once when the call ends.
    var onFinish: ((Result<[UInt8]?, Error>) -> Void)?
    var resultWaiter: CheckedContinuation<[UInt8]?, Error>?
    var sendWaiter: CheckedContinuation<Void, Error>?
    var deadlineItem: DispatchWorkItem?

    var isFinished: Bool { outcome != nil }

    /// A response message arrived.
    func received(_ payload: [UInt8]) {
        if let onMessage {
            onMessage(payload)
        } else {
            response = payload
        }
    }

    /// Ends the call once: with the response on OK, otherwise with the error.
    func finish(_ status: RPCError) {
        if status.code == .ok {
            finish(.success(response))
        } else {
            finish(.failure(status))
        }
    }

    func finish(_ result: Result<[UInt8]?, Error>) {
        guard outcome == nil else { return }
        outcome = result
        response = nil
        deadlineItem?.cancel()
        deadlineItem = nil
        if let sendWaiter {
            self.sendWaiter = nil
            sendWaiter.resume(throwing: RPCError(.cancelled, "call has ended"))
        }
        if let resultWaiter {
            self.resultWaiter = nil
            resultWaiter.resume(with: result)
        }
        onFinish?(result)
        onFinish = nil
        onMessage = nil
        connection = nil
    }
}
