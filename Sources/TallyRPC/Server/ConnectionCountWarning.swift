import Logging
import Synchronization

/// Says at warning level when a listener's open connections pass a threshold, once per crossing,
/// and at notice level when they fall back to nine tenths of it, so an operator sees a flood (or a
/// leak) in the logs without one line per connection. Shared by the RPC listener and the HTTP side door.
public final class ConnectionCountWarning: Sendable {
    private let listener: String
    private let threshold: Int
    private let logger: Logger
    private let above = Mutex(false)

    /// Watches `listener`'s count ("rpc", "http") against `threshold` (at least 1).
    public init(listener: String, threshold: Int, logger: Logger) {
        self.listener = listener
        self.threshold = max(1, threshold)
        self.logger = logger
    }

    /// Takes the count after a connection opened or closed.
    public func observe(_ open: Int) {
        let crossed: Bool? = above.withLock { above in
            if !above && open > threshold {
                above = true
                return true
            }
            if above && open <= threshold * 9 / 10 {
                above = false
                return false
            }
            return nil
        }
        let metadata: Logger.Metadata = ["listener": "\(listener)", "open": "\(open)", "threshold": "\(threshold)"]
        switch crossed {
        case true?: logger.warning("open connections above the warning threshold", metadata: metadata)
        case false?: logger.notice("open connections back below the warning threshold", metadata: metadata)
        case nil: break
        }
    }
}
