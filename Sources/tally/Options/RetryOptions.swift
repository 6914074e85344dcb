import ArgumentParser

/// The flag of commands whose request may be sent again: the request id that makes a retry safe
/// (the server answers a repeated id with the first result and changes nothing).
struct RetryOptions: ParsableArguments {
    @Option(name: .long, help: "Request id for a safe retry (default: a new UUID).")
    var requestID: String?

    /// The request id to send: the given one, else a fresh UUID.
    var resolvedRequestID: String { InputValues.requestID(requestID) }
}
