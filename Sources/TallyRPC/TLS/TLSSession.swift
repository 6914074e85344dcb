internal import COpenSSL

/// One TLS connection's OpenSSL state over two memory BIOs: the socket code feeds it the bytes it
/// read (``receive(_:deliver:)``) and sends what it produces (``drainOutput(into:)``); it never
/// touches the descriptor. Plaintext written before the handshake ends waits inside.
///
/// Owns its `SSL` (which owns both BIOs); `deinit` frees it once. Confined to the connection's queue.
final class TLSSession {
    private let ssl: OpaquePointer
    private let readBIO: OpaquePointer
    private let writeBIO: OpaquePointer
    private let isServer: Bool
    private var pendingPlaintext: [UInt8] = []
    /// True once the handshake has finished (and, for a client, ALPN agreed on `tally/1`).
    private(set) var isEstablished = false
    private var shutDown = false

    /// A session of `context`; a client verifies the server's certificate for `serverName`.
    init(context: TLSContext, serverName: String?) throws(TLSError) {
        TLSError.clearQueue()
        guard let ssl = SSL_new(context.pointer) else { throw TLSError.drainQueue("cannot create a TLS session") }
        guard let readBIO = BIO_new(BIO_s_mem()), let writeBIO = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw TLSError.drainQueue("cannot create TLS buffers")
        }
        tally_bio_mem_retry_when_empty(readBIO)
        tally_bio_mem_retry_when_empty(writeBIO)
        SSL_set_bio(ssl, readBIO, writeBIO)  // the SSL now owns both BIOs
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO
        self.isServer = context.isServer
        if isServer {
            SSL_set_accept_state(ssl)
        } else {
            SSL_set_connect_state(ssl)
            if let serverName {
                // SSL_set1_host verifies a DNS name or, for an address literal, the IP (OpenSSL 3).
                // Both return 1 on success; failure means out of memory or a malformed name.
                guard SSL_set1_host(ssl, serverName) == 1 else { throw TLSError("invalid TLS server name \(serverName)") }
                if !Self.isAddressLiteral(serverName) { _ = tally_set_sni(ssl, serverName) }
            }
        }
    }

    deinit {
        SSL_free(ssl)
    }

    /// Plaintext bytes accepted but not yet encrypted (waiting for the handshake).
    var bufferedPlaintext: Int { pendingPlaintext.count }

    /// A client's first flight (ClientHello); call once the TCP connection is up.
    func startHandshake() throws(TLSError) {
        try advanceHandshake()
    }

    /// Takes bytes read from the socket, decrypts what it can and hands each piece of plaintext to
    /// `deliver`, which returns false to stop (the connection was closed meanwhile). Returns true when
    /// the peer sent close_notify. Throws on a failed handshake or a corrupt record.
    func receive(_ ciphertext: UnsafeRawBufferPointer, deliver: (UnsafeRawBufferPointer) -> Bool) throws(TLSError) -> Bool {
        if !ciphertext.isEmpty {
            // A memory BIO takes everything (it grows); <= 0 only when out of memory.
            guard BIO_write(readBIO, ciphertext.baseAddress, Int32(ciphertext.count)) == Int32(ciphertext.count) else {
                throw TLSError("out of memory buffering TLS input")
            }
        }
        if !isEstablished {
            try advanceHandshake()
            guard isEstablished else { return false }
        }
        return try withUnsafeTemporaryAllocation(byteCount: 16384, alignment: 16) { buffer throws(TLSError) -> Bool in
            while true {
                var count = 0
                TLSError.clearQueue()
                // SSL_read_ex: 1 with bytes, else SSL_get_error says WANT_READ (need more input),
                // ZERO_RETURN (close_notify) or a failure.
                if SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count) == 1 {
                    if !deliver(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { return false }
                    continue
                }
                switch SSL_get_error(ssl, 0) {
                case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                    return false
                case SSL_ERROR_ZERO_RETURN:
                    return true
                default:
                    throw TLSError.drainQueue("TLS record failed")
                }
            }
        }
    }

    /// Encrypts all of `plaintext` (or keeps it until the handshake ends) and empties it, keeping its capacity.
    func send(_ plaintext: inout [UInt8]) throws(TLSError) {
        guard !plaintext.isEmpty else { return }
        if !isEstablished || !pendingPlaintext.isEmpty {
            pendingPlaintext.append(contentsOf: plaintext)
            plaintext.removeAll(keepingCapacity: true)
            return
        }
        try encrypt(plaintext)
        plaintext.removeAll(keepingCapacity: true)
    }

    /// Appends the TLS bytes waiting to be sent (handshake, records, alerts) to `output`.
    func drainOutput(into output: inout [UInt8]) {
        let waiting = tally_bio_pending(writeBIO)
        guard waiting > 0 else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: waiting))
        let read = output.withUnsafeMutableBytes { bytes in
            BIO_read(writeBIO, bytes.baseAddress.map { $0 + start }, Int32(waiting))
        }
        output.removeLast(waiting - Int(max(read, 0)))
    }

    /// Queues close_notify (once, after a completed handshake) so the peer sees a clean end.
    func shutdown() {
        guard isEstablished, !shutDown else { return }
        shutDown = true
        TLSError.clearQueue()
        _ = SSL_shutdown(ssl)  // 0: our close_notify is queued; we do not wait for the peer's
    }

    /// The SHA-256 of the peer's certificate (DER) in lower-case hex, once established; nil without one.
    /// Computed once per connection.
    var peerCertificateSHA256: String? {
        guard isEstablished else { return nil }
        if let cached = peerFingerprint { return cached }
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(certificate) }
        peerFingerprint = CertificateFingerprint.sha256(certificate)
        return peerFingerprint
    }
    private var peerFingerprint: String?

    /// The negotiated protocol version, e.g. "TLSv1.3".
    var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    // MARK: - Private

    private func advanceHandshake() throws(TLSError) {
        TLSError.clearQueue()
        // SSL_do_handshake: 1 done; otherwise WANT_READ/WANT_WRITE (its output is in the write BIO,
        // more input is needed) or a failure (an alert for the peer may be in the write BIO).
        let result = SSL_do_handshake(ssl)
        guard result == 1 else {
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return
            default: throw handshakeFailure()
            }
        }
        if !isServer { try checkALPN() }
        isEstablished = true
        if !pendingPlaintext.isEmpty {
            let waiting = pendingPlaintext
            pendingPlaintext = []
            try encrypt(waiting)
        }
    }

    private func checkALPN() throws(TLSError) {
        var selected: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &selected, &length)
        let name = selected.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self) }
        guard name == TLSConfiguration.alpn else {
            throw TLSError("TLS handshake failed: the server did not agree to ALPN \(TLSConfiguration.alpn)")
        }
    }

    private func encrypt(_ plaintext: [UInt8]) throws(TLSError) {
        var offset = 0
        while offset < plaintext.count {
            var written = 0
            TLSError.clearQueue()
            // SSL_write_ex into a memory BIO: 1 with bytes written; it does not block.
            let ok = plaintext.withUnsafeBytes { bytes in
                SSL_write_ex(ssl, bytes.baseAddress.map { $0 + offset }, bytes.count - offset, &written)
            }
            guard ok == 1 else { throw TLSError.drainQueue("TLS write failed") }
            offset += written
        }
    }

    private func handshakeFailure() -> TLSError {
        let verify = SSL_get_verify_result(ssl)
        if verify != X509_V_OK, let text = X509_verify_cert_error_string(verify) {
            TLSError.clearQueue()
            return TLSError("TLS handshake failed: certificate verify failed: \(String(cString: text))")
        }
        return TLSError.drainQueue("TLS handshake failed")
    }

    private static func isAddressLiteral(_ name: String) -> Bool {
        name.contains(":") || name.allSatisfy { $0.isNumber || $0 == "." }
    }
}
