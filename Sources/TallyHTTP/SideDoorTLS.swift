import NIOSSL
import Synchronization
import TallyCore

/// TLS of the side door, from the same files as the RPC listener's (`--tls-cert`, `--tls-key`,
/// `--client-ca`): swift-nio-ssl, the TLS that Hummingbird's own HummingbirdTLS uses. TLS 1.2 is the
/// floor and ALPN offers `http/1.1`. ``reload()`` reads the files again (SIGHUP): new connections
/// use the new certificate, open ones keep theirs.
final class SideDoorTLS: Sendable {
    private let files: TLSServerConfiguration
    private let context: Mutex<NIOSSLContext>

    /// Loads the files; throws naming the file that could not be used.
    init(_ files: TLSServerConfiguration) throws {
        self.files = files
        context = Mutex(try Self.load(files))
    }

    /// The context new connections use.
    var current: NIOSSLContext { context.withLock { $0 } }

    /// Reads the certificate, key and client CA again; on failure the previous ones stay in use.
    func reload() throws {
        let fresh = try Self.load(files)
        context.withLock { $0 = fresh }
    }

    private static func load(_ files: TLSServerConfiguration) throws -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificateFile)
        } catch {
            throw SideDoorTLSError("cannot load the TLS certificate \(files.certificateFile): \(error)")
        }
        do {
            key = try NIOSSLPrivateKey(file: files.privateKeyFile, format: .pem)
        } catch {
            throw SideDoorTLSError("cannot load the TLS key \(files.privateKeyFile): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        if let clientCA = files.clientCAFile {
            // Mutual TLS, as on the RPC listener: a client certificate chaining to this CA is required.
            configuration.trustRoots = .file(clientCA)
            configuration.certificateVerification = .noHostnameVerification
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw SideDoorTLSError("cannot use the TLS certificate \(files.certificateFile) with the key \(files.privateKeyFile): \(error)")
        }
    }
}

/// The side door's TLS files could not be used.
public struct SideDoorTLSError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
