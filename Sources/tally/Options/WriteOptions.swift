import ArgumentParser

/// Flags of commands that send one change: the note kept with it, and the request id that makes
/// a retry safe (the server answers a repeated id with the first result and changes nothing).
struct WriteOptions: ParsableArguments {
    @Option(name: .long, help: "Note kept with the change.")
    var note: String?

    @Option(name: .long, help: "Request id for a safe retry (default: a new UUID).")
    var requestID: String?

    /// The request id to send: the given one, else a fresh UUID.
    var resolvedRequestID: String { InputValues.requestID(requestID) }
}
