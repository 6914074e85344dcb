import ArgumentParser

/// Flags of commands that send one change: the note kept with it, and the request id that makes
/// a retry safe (`RetryOptions`).
struct WriteOptions: ParsableArguments {
    @Option(name: .long, help: "Note kept with the change.")
    var note: String?

    @OptionGroup var retry: RetryOptions

    /// The request id to send: the given one, else a fresh UUID.
    var resolvedRequestID: String { retry.resolvedRequestID }
}
