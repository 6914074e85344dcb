import Foundation
import TallyWire

/// One queued write and what became of it: a row of the outbox file.
public struct OutboxItem: Sendable, Equatable, Identifiable {
    /// Where an item stands.
    public enum State: String, Sendable, CaseIterable {
        /// Waiting for delivery (never sent, or sent without an answer).
        case queued
        /// The server applied it (or recognised it as already applied).
        case delivered
        /// The server refused it; kept with the server's message, never resent unless retried.
        case failed
    }

    /// The item's number (#N), increasing in the order writes were made.
    public var id: Int64
    /// "host:port" of the server the write is for.
    public var server: String
    /// The request as it is sent, `request_id` and `made_at_unix_ms` included.
    public var write: OutboxWrite
    /// Waiting, delivered or refused.
    public var state: State
    /// Delivery attempts that reached no answer or an answer.
    public var attempts: Int
    /// When the write was made (and stamped into the request).
    public var madeAt: Date
    /// When the last attempt started.
    public var lastAttemptAt: Date?
    /// The server's status and message when it refused the item, or the last transient failure.
    public var statusCode: StatusCode?
    /// The server's message with `statusCode`.
    public var message: String?
    /// The change-log sequence once delivered, and whether the delivery was a recognised replay.
    public var sequence: Int64?
    /// True when the server recognised the request id as applied before (its first answer was lost).
    public var replayed: Bool
    /// When the delivery's answer arrived.
    public var deliveredAt: Date?
}
