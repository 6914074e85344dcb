import Foundation
import Logging
import TallyMessages
import TallyRPC
import TallyWire

/// The typed client of a Tally server: one method per RPC of `Protocol/tally.proto` (generated,
/// `Generated/tally.client.swift`), and friendlier ones taking fields instead of messages.
/// One instance holds one multiplexed connection (reconnected lazily); share it between tasks.
public final class TallyClient: Sendable {
    /// The server this client talks to.
    public let address: ServerAddress
    /// Time allowed for each unary call; nil waits as long as the connection lives.
    public let callTimeout: Duration?
    let rpc: RPCClient
    let metadata: [String: String]

    /// Connects (lazily, at the first call) to `host:port`, authenticating every call with `token`,
    /// protected as `security` says (see ``ClientSecurity``). `language` ("zh", "en") is sent as
    /// `accept-language`: the server says its errors in it. `streamBufferBytes` bounds the events of
    /// a watch buffered for a slow consumer: past it the client stops reading, and the server cuts the
    /// watch off when it falls too far behind.
    public init(host: String, port: Int, token: String?, security: ClientSecurity = .plaintext,
                peerName: String = "tally-cli/1", callTimeout: Duration? = .seconds(30), language: String? = nil,
                streamBufferBytes: Int = 4 << 20, logger: Logger = Logger(label: "tally.client")) {
        var configuration = ClientConfiguration(host: host, port: port)
        configuration.peerName = peerName
        configuration.inboundHighWatermark = streamBufferBytes
        configuration.inboundLowWatermark = max(1, streamBufferBytes / 4)
        security.apply(to: &configuration, hasToken: !(token ?? "").isEmpty)
        self.address = ServerAddress(host: host, port: port)
        self.callTimeout = callTimeout
        self.rpc = RPCClient(configuration: configuration, logger: logger)
        var metadata: [String: String] = [:]
        if let token, !token.isEmpty { metadata["authorization"] = "Bearer \(token)" }
        if let language, !language.isEmpty { metadata["accept-language"] = language }
        self.metadata = metadata
    }

    /// Connects to an address typed as "host:port"; nil when it cannot be parsed.
    public convenience init?(address text: String, token: String?, peerName: String = "tally-cli/1") {
        guard let address = ServerAddress(parsing: text) else { return nil }
        self.init(host: address.host, port: address.port, token: token, peerName: peerName)
    }

    /// Closes the connection; calls still running fail.
    public func close() async {
        await rpc.close()
    }

    /// Asks the server whether it serves (`tally.v1.Health/Check`, needs no credential).
    public func health() async throws {
        _ = try await rpc.unary(Tally_V1_Health.Method.check, SwiftProtobufEmpty(), metadata: [:], timeout: callTimeout)
    }

    /// Performs one authenticated unary call.
    func call<Request: Sendable & SwiftProtobufMessage, Response: Sendable & SwiftProtobufMessage>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request
    ) async throws -> Response {
        try await rpc.unary(method, request, metadata: metadata, timeout: callTimeout)
    }
}
