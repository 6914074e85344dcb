import Foundation
import SwiftProtobuf
import TallyRPC

/// The cost of a new connection: connect, (TLS handshake,) Tally handshake and one Health/Check,
/// one connection after another.
enum HandshakePhase {
    struct Result: Sendable {
        var connections: Int
        var failures: Int
        var firstFailure: String?
        var latency: Latency
    }

    static func run(host: String, port: Int, tls: TLSClientConfiguration?, connections: Int) async -> Result {
        var result = Result(connections: connections, failures: 0, latency: Latency())
        for _ in 0..<connections {
            var configuration = ClientConfiguration(host: host, port: port)
            configuration.peerName = "tally-bench-handshake/1"
            configuration.tls = tls
            let client = RPCClient(configuration: configuration)
            let begin = Monotonic.nanos()
            do {
                _ = try await client.unary(Router.healthCheckMethod, Google_Protobuf_Empty(),
                                           as: Google_Protobuf_Empty.self, timeout: .seconds(10))
                result.latency.record(nanos: Monotonic.nanos() - begin)
            } catch {
                result.failures += 1
                result.firstFailure = result.firstFailure ?? "\(error)"
            }
            await client.close()
        }
        return result
    }
}
