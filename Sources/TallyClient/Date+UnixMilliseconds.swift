import Foundation

extension Date {
    /// Milliseconds since 1970, rounded: how the protocol carries an instant (`*_unix_ms`).
    var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
