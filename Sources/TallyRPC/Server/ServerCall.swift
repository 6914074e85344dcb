import Dispatch

/// The runtime state of one call on the server. Confined to its connection's queue.
final class ServerCall {
    let stream: UInt32
    let route: Route
    let context: ServerContext
    /// The handler, once started.
    var task: Task<Void, Never>?
    /// Unary and server-streaming: the single request, collected before the handler starts.
    var request: [UInt8]?
    var requestCount = 0
    /// Client-streaming: feeds the handler's ``RequestStream``.
    var requests: AsyncThrowingStream<[UInt8], Error>.Continuation?
    /// Client-streaming: request bytes delivered to the stream but not yet taken by the handler.
    var unconsumedRequestBytes = 0
    /// A handler's `send` suspended by backpressure.
    var sendWaiter: CheckedContinuation<Void, Error>?

    init(stream: UInt32, route: Route, context: ServerContext) {
        self.stream = stream
        self.route = route
        self.context = context
    }

    /// Stops the handler: cancels its Task, ends its request stream and fails a suspended `send`.
    func cancel() {
        task?.cancel()
        requests?.finish(throwing: CancellationError())
        requests = nil
        sendWaiter?.resume(throwing: RPCError(.cancelled, "call was cancelled"))
        sendWaiter = nil
    }
}

import TallyWire
