import Hummingbird
import NIOCore

/// A request's context with the peer's address, which the authenticator uses to slow down a peer
/// that keeps presenting bad tokens.
struct SideDoorContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// "ip:port" of the peer, for logs and failure counting.
    var peer: String {
        remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "http"
    }
}
