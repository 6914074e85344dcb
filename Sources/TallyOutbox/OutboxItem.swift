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
    public var write: OutboxWrite
    public var state: State
    /// Delivery attempts that reached no answer or an answer.
    public var attempts: Int
    /// When the write was made (and stamped into the request).
    public var madeAt: Date
    /// When the last attempt started.
    public var lastAttemptAt: Date?
    /// The server's status and message when it refused the item, or the last transient failure.
    public var statusCode: StatusCode?
    public var message: String?
    /// The change-log sequence once delivered, and whether the delivery was a recognised replay.
    public var sequence: Int64?
    public var replayed: Bool
    public var deliveredAt: Date?
}
