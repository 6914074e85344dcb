import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Callbacks of a ``SocketChannel``, all made on the channel's queue.
protocol SocketChannelDelegate: AnyObject {
    /// Bytes arrived. The pointer is valid only during the call.
    func channel(_ channel: SocketChannel, didRead bytes: UnsafeRawBufferPointer)
    /// The peer closed its side (`error == nil`), the socket failed (a ``SystemError``) or TLS failed
    /// (a ``TLSError``). Called once.
    func channelInputEnded(_ channel: SocketChannel, error: (any Error)?)
    /// Some pending output was written (check watermarks).
    func channelDidWrite(_ channel: SocketChannel)
    /// A non-blocking connect finished: `error == nil` on success.
    func channelDidConnect(_ channel: SocketChannel, error: SystemError?)
    /// Both sources are cancelled and the descriptor is closed.
    func channelDidClose(_ channel: SocketChannel)
}

/// One non-blocking TCP socket driven by a read source and a write source armed only while output is pending.
///
/// Owns its descriptor: it is closed exactly once, in the cancel handler of the last source to be cancelled.
/// All outbound bytes of a turn go out in one `send` from one reusable buffer.
///
/// With a ``TLSSession`` the delegate still sees only plaintext: bytes read are decrypted before
/// `didRead`, bytes written are encrypted into the same pending buffer (see `SocketChannel+TLS.swift`).
final class SocketChannel: @unchecked Sendable {
    // Every mutable property is confined to `queue` (the owning connection's serial queue).
    let fd: Int32
    let queue: DispatchQueue
    weak var delegate: SocketChannelDelegate?

    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var readSuspended = true
    private var writeSuspended = true
    private var liveSources = 2
    private var connecting = false
    private var inputEnded = false
    private var closing = false
    private var cancelled = false
    private var lingerItem: DispatchWorkItem?

    var pending: [UInt8] = []
    var pendingOffset = 0
    /// The TLS layer between the socket and the delegate, if any (owned by this channel).
    let tls: TLSSession?

    init(fd: Int32, queue: DispatchQueue, tls: TLSSession? = nil) {
        self.fd = fd
        self.queue = queue
        self.tls = tls
    }

    /// Outbound bytes not yet accepted by the kernel (plaintext waiting for the TLS handshake included).
    var bufferedBytes: Int { pending.count - pendingOffset + (tls?.bufferedPlaintext ?? 0) }
    var isReadingPaused: Bool { readSuspended }
    var isCancelled: Bool { cancelled }

    /// Creates both sources. Reading starts unless `connecting` (then the write source waits for the connect).
    func start(connecting: Bool) {
        dispatchPrecondition(condition: .onQueue(queue))
        let fd = self.fd
        let read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        read.setEventHandler { [self] in readable() }
        read.setCancelHandler { [self] in sourceCancelled() }
        let write = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        write.setEventHandler { [self] in writable() }
        write.setCancelHandler { [self] in sourceCancelled() }
        readSource = read
        writeSource = write
        self.connecting = connecting
        if connecting {
            setWriteArmed(true)
        } else {
            setReading(true)
            startTLS()
        }
    }

    // MARK: - Reading

    /// Pauses or resumes reading (backpressure: no input is read while output is above the high watermark).
    func setReading(_ on: Bool) {
        guard let readSource, !cancelled, !inputEnded else { return }
        Self.set(readSource, active: on, suspended: &readSuspended)
    }

    /// Resumes or suspends `source` unless it already is; `suspended` tracks it, since a dispatch
    /// source must be resumed exactly as often as it was suspended.
    private static func set(_ source: any DispatchSourceProtocol, active: Bool, suspended: inout Bool) {
        if active && suspended {
            suspended = false
            source.resume()
        } else if !active && !suspended {
            suspended = true
            source.suspend()
        }
    }

    private func readable() {
        withUnsafeTemporaryAllocation(byteCount: 65536, alignment: 16) { buffer in
            for _ in 0..<4 {
                guard !cancelled, !inputEnded, !readSuspended else { return }
                let result: IOResult<Int>
                do throws(SystemError) {
                    result = try Syscall.read(fd, buffer)
                } catch {
                    endInput(error)
                    return
                }
                switch result {
                case .wouldBlock:
                    return
                case .processed(0):
                    endInput(nil)
                    return
                case .processed(let count):
                    if closing { continue }  // draining input before close: discard
                    let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                    if let tls {
                        receiveTLS(bytes, tls)
                    } else {
                        delegate?.channel(self, didRead: bytes)
                    }
                    if count < buffer.count { return }
                }
            }
        }
    }

    func endInput(_ error: (any Error)?) {
        guard !inputEnded else { return }
        inputEnded = true
        setReadSuspendedForGood()
        if closing {
            forceClose()
        } else {
            delegate?.channelInputEnded(self, error: error)
        }
    }

    private func setReadSuspendedForGood() {
        if let readSource, !readSuspended {
            readSuspended = true
            readSource.suspend()
        }
    }

    // MARK: - Writing

    /// Takes all bytes of `output` (leaving it empty with its capacity) and tries to write them now.
    func write(_ output: inout [UInt8]) {
        guard !output.isEmpty else { return }
        if cancelled {
            output.removeAll(keepingCapacity: true)
            return
        }
        if let tls {
            writeTLS(&output, tls)
            return
        }
        if pendingOffset == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingOffset = 0
            swap(&pending, &output)
        } else {
            pending.append(contentsOf: output)
            output.removeAll(keepingCapacity: true)
        }
        if !connecting { flush() }
    }

    func flush() {
        while pendingOffset < pending.count {
            let offset = pendingOffset
            let outcome = pending.withUnsafeBytes { bytes in
                Result { () throws(SystemError) in
                    try Syscall.send(fd, UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                }
            }
            let result: IOResult<Int>
            switch outcome {
            case .success(let value):
                result = value
            case .failure(let error):
                pending.removeAll()
                pendingOffset = 0
                setWriteArmed(false)
                if closing { forceClose() } else { endInput(error) }
                return
            }
            switch result {
            case .wouldBlock:
                setWriteArmed(true)
                return
            case .processed(let count):
                pendingOffset += count
            }
        }
        // Everything written: reuse the buffer unless it grew very large.
        if pending.capacity > 1 << 20 {
            pending = []
        } else {
            pending.removeAll(keepingCapacity: true)
        }
        pendingOffset = 0
        setWriteArmed(false)
        if closing { finishOutputAndLinger() }
    }

    private func writable() {
        if connecting {
            connecting = false
            setWriteArmed(false)
            let code: Int32
            do throws(SystemError) {
                code = try Syscall.pendingError(fd)
            } catch {
                delegate?.channelDidConnect(self, error: error)
                return
            }
            if code != 0 {
                delegate?.channelDidConnect(self, error: SystemError(call: "connect", errno: code))
                return
            }
            setReading(true)
            startTLS()
            delegate?.channelDidConnect(self, error: nil)
            flush()
            return
        }
        let before = bufferedBytes
        flush()
        if bufferedBytes < before { delegate?.channelDidWrite(self) }
    }

    private func setWriteArmed(_ on: Bool) {
        guard let writeSource, !cancelled else { return }
        Self.set(writeSource, active: on, suspended: &writeSuspended)
    }

    // MARK: - Closing

    /// Writes what is pending, shuts down our sending side, then waits (at most `linger`) for the peer
    /// to close before closing the descriptor, so that a final GOAWAY is not lost to a reset.
    func closeAfterFlush(linger: DispatchTimeInterval = .seconds(2)) {
        guard !closing, !cancelled else { return }
        closing = true
        if connecting {
            forceClose()
            return
        }
        let item = DispatchWorkItem { [self] in forceClose() }
        lingerItem = item
        queue.asyncAfter(deadline: .now() + linger, execute: item)
        setReading(true)  // read and discard until EOF
        if queueTLSCloseNotify() {
            flush()
        } else if bufferedBytes == 0 {
            finishOutputAndLinger()
        }
    }

    private func finishOutputAndLinger() {
        if inputEnded {
            forceClose()
        } else {
            Syscall.shutdownOutput(fd)
        }
    }

    /// Cancels both sources at once; the descriptor is closed when the last cancel handler runs.
    func forceClose() {
        guard !cancelled else { return }
        cancelled = true
        lingerItem?.cancel()
        lingerItem = nil
        if let readSource {
            readSource.cancel()
            if readSuspended { readSource.resume() }
        }
        if let writeSource {
            writeSource.cancel()
            if writeSuspended { writeSource.resume() }
        }
        if readSource == nil && writeSource == nil {
            liveSources = 0
            Syscall.close(fd)
            delegate?.channelDidClose(self)
        }
    }

    private func sourceCancelled() {
        liveSources -= 1
        guard liveSources == 0 else { return }
        readSource = nil
        writeSource = nil
        pending = []
        Syscall.close(fd)
        delegate?.channelDidClose(self)
    }
}
