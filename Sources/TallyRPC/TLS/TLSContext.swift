internal import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// One OpenSSL `SSL_CTX`: the certificates, keys, trust anchors and protocol settings shared by the
/// sessions made from it. Each session holds its own reference (`SSL_new` counts it), so a context
/// replaced on reload stays alive until its last connection ends.
final class TLSContext: @unchecked Sendable {
    // Immutable after init; OpenSSL allows concurrent SSL_new on one configured SSL_CTX.
    let pointer: OpaquePointer
    let isServer: Bool

    private init(server: Bool) throws(RPCSetupError) {
        TLSError.clearQueue()
        guard let method = server ? TLS_server_method() : TLS_client_method(), let context = SSL_CTX_new(method) else {
            throw RPCSetupError("\(TLSError.drainQueue("cannot create a TLS context"))")
        }
        pointer = context
        isServer = server
        // Returns 1 on success; fails only when the version is unknown to this OpenSSL.
        guard tally_ctx_set_min_tls12(context) == 1 else {
            throw RPCSetupError("\(TLSError.drainQueue("cannot require TLS 1.2 or later"))")
        }
        tally_ctx_set_modes(context)
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    /// A server context: certificate chain and key (checked to match), ALPN `tally/1`, and with a
    /// client CA file, required client certificates.
    static func server(_ configuration: TLSServerConfiguration) throws(RPCSetupError) -> TLSContext {
        let context = try TLSContext(server: true)
        let ctx = context.pointer
        // Each returns 1 on success; the error queue names the cause (missing file, bad PEM, wrong key).
        guard SSL_CTX_use_certificate_chain_file(ctx, configuration.certificateFile) == 1 else {
            throw RPCSetupError("\(TLSError.drainQueue("cannot load the TLS certificate \(configuration.certificateFile)"))")
        }
        guard SSL_CTX_use_PrivateKey_file(ctx, configuration.privateKeyFile, SSL_FILETYPE_PEM) == 1 else {
            throw RPCSetupError("\(TLSError.drainQueue("cannot load the TLS key \(configuration.privateKeyFile)"))")
        }
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            throw RPCSetupError("\(TLSError.drainQueue("the TLS key \(configuration.privateKeyFile) does not match the certificate"))")
        }
        tally_ctx_disable_session_cache(ctx)
        _ = SSL_CTX_set_num_tickets(ctx, 0)  // no resumption tickets: our clients keep one long connection
        SSL_CTX_set_alpn_select_cb(ctx, selectTallyALPN, nil)
        if let clientCA = configuration.clientCAFile {
            guard SSL_CTX_load_verify_locations(ctx, clientCA, nil) == 1 else {
                throw RPCSetupError("\(TLSError.drainQueue("cannot load the client CA file \(clientCA)"))")
            }
            if let names = SSL_load_client_CA_file(clientCA) { SSL_CTX_set_client_CA_list(ctx, names) }
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        }
        return context
    }

    /// A client context: trust anchors (a CA file or the system store), peer verification on, ALPN
    /// `tally/1` offered, and an optional client certificate.
    static func client(_ configuration: TLSClientConfiguration) throws(RPCSetupError) -> TLSContext {
        let context = try TLSContext(server: false)
        let ctx = context.pointer
        if let caFile = configuration.caFile {
            guard SSL_CTX_load_verify_locations(ctx, caFile, nil) == 1 else {
                throw RPCSetupError("\(TLSError.drainQueue("cannot load the CA file \(caFile)"))")
            }
        } else if SSL_CTX_set_default_verify_paths(ctx) != 1 {
            throw RPCSetupError("\(TLSError.drainQueue("cannot load the system's CA certificates"))")
        }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        let protocols = alpnWire
        // SSL_CTX_set_alpn_protos returns 0 on success (unlike most of the API).
        guard protocols.withUnsafeBufferPointer({ SSL_CTX_set_alpn_protos(ctx, $0.baseAddress, UInt32($0.count)) }) == 0 else {
            throw RPCSetupError("\(TLSError.drainQueue("cannot offer ALPN \(TLSConfiguration.alpn)"))")
        }
        if let certificate = configuration.certificateFile {
            guard SSL_CTX_use_certificate_chain_file(ctx, certificate) == 1 else {
                throw RPCSetupError("\(TLSError.drainQueue("cannot load the client certificate \(certificate)"))")
            }
            let key = configuration.privateKeyFile ?? certificate
            guard SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) == 1, SSL_CTX_check_private_key(ctx) == 1 else {
                throw RPCSetupError("\(TLSError.drainQueue("cannot use the client key \(key)"))")
            }
        }
        return context
    }

    /// `tally/1` in ALPN's wire form: a length byte, then the name.
    static let alpnWire: [UInt8] = [UInt8(TLSConfiguration.alpn.utf8.count)] + Array(TLSConfiguration.alpn.utf8)
}

/// The server's ALPN choice: `tally/1` when the client offers it; a client offering only other
/// protocols is refused (no_application_protocol alert). A client offering none gets no ALPN answer.
private func selectTallyALPN(
    _ ssl: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, _ outLength: UnsafeMutablePointer<UInt8>?,
    _ offered: UnsafePointer<UInt8>?, _ offeredLength: UInt32, _ argument: UnsafeMutableRawPointer?
) -> Int32 {
    guard let offered, let out, let outLength else { return SSL_TLSEXT_ERR_ALERT_FATAL }
    var index = 0
    let total = Int(offeredLength)
    let wanted = TLSContext.alpnWire
    while index < total {
        let length = Int(offered[index])
        let start = index + 1
        guard start + length <= total else { break }
        if length == wanted.count - 1 && (0..<length).allSatisfy({ offered[start + $0] == wanted[$0 + 1] }) {
            // Point into the client's list: it outlives the callback (OpenSSL copies the choice).
            out.pointee = offered + start
            outLength.pointee = UInt8(length)
            return SSL_TLSEXT_ERR_OK
        }
        index = start + length
    }
    return SSL_TLSEXT_ERR_ALERT_FATAL
}
