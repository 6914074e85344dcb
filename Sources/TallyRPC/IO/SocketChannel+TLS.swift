/// The TLS steps of a ``SocketChannel``: ciphertext read from the socket goes through the session
/// and comes out as plaintext for the delegate; plaintext written goes in and comes out as records
/// appended to the pending buffer, which the ordinary `flush` sends. All on the channel's queue.
extension SocketChannel {
    /// Sends a client's ClientHello (a server session just waits for one).
    func startTLS() {
        guard let tls else { return }
        do throws(TLSError) {
            try tls.startHandshake()
        } catch {
            failTLS(error, tls)
            return
        }
        tls.drainOutput(into: &pending)
        flush()
    }

    /// Decrypts `ciphertext`, hands the plaintext to the delegate and sends any handshake answer.
    func receiveTLS(_ ciphertext: UnsafeRawBufferPointer, _ tls: TLSSession) {
        let peerClosed: Bool
        do throws(TLSError) {
            peerClosed = try tls.receive(ciphertext) { plaintext in
                delegate?.channel(self, didRead: plaintext)
                return !isCancelled
            }
        } catch {
            failTLS(error, tls)
            return
        }
        guard !isCancelled else { return }
        tls.drainOutput(into: &pending)
        flush()
        if peerClosed { endInput(nil) }
    }

    /// Encrypts `output` (or keeps it until the handshake ends) and sends the records.
    func writeTLS(_ output: inout [UInt8], _ tls: TLSSession) {
        if pendingOffset == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingOffset = 0
        }
        do throws(TLSError) {
            try tls.send(&output)
        } catch {
            output.removeAll(keepingCapacity: true)
            failTLS(error, tls)
            return
        }
        tls.drainOutput(into: &pending)
        flush()
    }

    /// Queues close_notify before our side shuts down; true when there was a session to close.
    func queueTLSCloseNotify() -> Bool {
        guard let tls else { return false }
        tls.shutdown()
        tls.drainOutput(into: &pending)
        return true
    }

    /// Sends the alert OpenSSL queued (if any) and reports the failure as the end of input.
    private func failTLS(_ error: TLSError, _ tls: TLSSession) {
        tls.drainOutput(into: &pending)
        flush()
        endInput(error)
    }
}
