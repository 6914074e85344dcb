import SwiftProtobuf

/// How many messages each side of a call sends.
public enum CallKind: String, Sendable, Hashable {
    /// One request, one response.
    case unary
    /// One request, a stream of responses.
    case serverStreaming
    /// A stream of requests, one response.
    case clientStreaming
    /// Streams both ways (declared by the protocol, not served by Tally today).
    case bidirectionalStreaming
}

/// One RPC method with its message types, generated from a `.proto` service by
/// `Protocol/generate.sh`, so that client and server name it once (as grpc-swift's
/// `MethodDescriptor` and generated stubs do).
public struct MethodDescriptor<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>: Sendable, Hashable {
    /// The method without its message types.
    public let erased: AnyMethodDescriptor

    public init(service: String, method: String, kind: CallKind) {
        erased = AnyMethodDescriptor(service: service, method: method, kind: kind)
    }

    /// The name a call header carries: "/tally.v1.Reporting/ReportTarget".
    public var path: String { erased.path }
    /// How many messages each side sends.
    public var kind: CallKind { erased.kind }
}

/// A method's names and call kind, without its message types: what a router or a table of roles keys
/// on. Made by ``MethodDescriptor`` (its `erased`).
public struct AnyMethodDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// The fully qualified service: "tally.v1.Reporting".
    public let service: String
    /// The method within the service: "ReportTarget".
    public let method: String
    /// How many messages each side sends.
    public let kind: CallKind

    /// The name a call header carries: "/tally.v1.Reporting/ReportTarget".
    public var path: String { "/\(service)/\(method)" }

    public var description: String { path }
}
