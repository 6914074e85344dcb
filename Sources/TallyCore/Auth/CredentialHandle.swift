/// A credential as a server-side session holds it: opaque, made only by ``Authenticator`` when a
/// token authenticates, and checked again with ``Authenticator/recheck(_:peer:logger:)`` on every
/// use, so a session never keeps the token itself and a revoked credential stops working at once.
public struct CredentialHandle: Sendable, Hashable {
    /// The token's stored form (hex SHA-256), the key of the credential cache and table.
    let tokenHash: String
}

/// A registration made with ``Authenticator/whenRevoked(_:_:)``; ``cancel()`` withdraws it.
public struct RevocationWatch: Sendable {
    let id: UInt64
    let authenticator: Authenticator

    /// Withdraws the registration (its action will not run).
    public func cancel() {
        authenticator.cancelWatch(id)
    }
}
