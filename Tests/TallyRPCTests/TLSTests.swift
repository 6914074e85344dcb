import TallyTestSupport
import TallyWire
import XCTest
@testable import TallyRPC

/// TLS on the RPC transport, with certificates made by the `openssl` command for each test:
/// calls over TLS, refused certificates with clear errors, mismatched transports closed cleanly,
/// garbage handshakes that hurt nobody else, reload without dropping connections, mutual TLS.
final class TLSTests: XCTestCase {
    private var ca: TestCertificates!
    private var server: (certificateFile: String, keyFile: String)!

    override func setUpWithError() throws {
        ca = try TestCertificates()
        server = try ca.issue(commonName: "tally server", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"], withChain: true)
    }

    override func tearDown() {
        ca.remove()
    }

    private func startTLSServer(clientCA: String? = nil, router: Router = TestService.router()) throws -> (RPCServer, Int) {
        try startServer(router: router) {
            $0.tls = TLSServerConfiguration(certificateFile: server.certificateFile, privateKeyFile: server.keyFile, clientCAFile: clientCA)
        }
    }

    private func tlsClient(port: Int, host: String = "127.0.0.1", _ tls: TLSClientConfiguration) -> RPCClient {
        makeClient(port: port, host: host) {
            $0.tls = tls
            $0.reconnectBackoffInitial = .milliseconds(1)
        }
    }

    /// The error of a Health/Check on `client`, or a failure when the call succeeds.
    private func healthError(_ client: RPCClient, file: StaticString = #filePath, line: UInt = #line) async -> RPCError? {
        do {
            _ = try await client.unary(Router.healthCheckMethod, Empty(), as: Empty.self, timeout: .seconds(5))
            XCTFail("the call succeeded", file: file, line: line)
            return nil
        } catch let error as RPCError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    func testUnaryStreamingAndClientStreamingCallsOverTLS() async throws {
        let (rpc, port) = try startTLSServer()
        for host in ["127.0.0.1", "localhost"] {
            let client = tlsClient(port: port, host: host, TLSClientConfiguration(caFile: ca.caFile))
            let reply = try await client.unary(TestService.echo, string("über TLS"), as: StringValue.self)
            XCTAssertEqual(reply.value, "über TLS")
            var received: [Int64] = []
            for try await item in client.serverStreaming(TestService.count, int64(2000), as: Int64Value.self) {
                received.append(item.value)
            }
            XCTAssertEqual(received, Array(0..<2000))
            let requests = AsyncStream<Int64Value> { continuation in
                for value in 1...100 { continuation.yield(int64(Int64(value))) }
                continuation.finish()
            }
            let total = try await client.clientStreaming(TestService.sum, requests, as: Int64Value.self).value
            XCTAssertEqual(total, 5050)
            // A message far above one TLS record (16 KiB) survives splitting both ways.
            let large = String(repeating: "报", count: 200_000)
            let echoed = try await client.unary(TestService.echo, string(large), as: StringValue.self).value
            XCTAssertEqual(echoed, large)
            await client.close()
        }
        await rpc.shutdown()
    }

    func testCertificateFromAnotherCAIsRefusedWithAClearError() async throws {
        let (rpc, port) = try startTLSServer()
        let other = try TestCertificates(name: "Other CA")
        defer { other.remove() }
        let client = tlsClient(port: port, TLSClientConfiguration(caFile: other.caFile))
        let error = await healthError(client)
        XCTAssertEqual(error?.code, .unavailable)
        XCTAssertTrue(error?.message.contains("certificate verify failed") == true, "\(String(describing: error))")
        XCTAssertTrue(error?.message.contains("self-signed certificate in certificate chain") == true, "\(String(describing: error))")
        await client.close()
        await rpc.shutdown()
    }

    func testWrongServerNameIsRefused() async throws {
        let (rpc, port) = try startTLSServer()
        let client = tlsClient(port: port, TLSClientConfiguration(caFile: ca.caFile, serverName: "reports.example.org"))
        let error = await healthError(client)
        XCTAssertEqual(error?.code, .unavailable)
        XCTAssertTrue(error?.message.contains("hostname mismatch") == true, "\(String(describing: error))")
        await client.close()
        await rpc.shutdown()
    }

    func testExpiredCertificateIsRefused() async throws {
        let expired = try ca.issue(commonName: "expired", ipAddresses: ["127.0.0.1"], days: -1)
        let (rpc, port) = try startServer {
            $0.tls = TLSServerConfiguration(certificateFile: expired.certificateFile, privateKeyFile: expired.keyFile)
        }
        let client = tlsClient(port: port, TLSClientConfiguration(caFile: ca.caFile))
        let error = await healthError(client)
        XCTAssertEqual(error?.code, .unavailable)
        XCTAssertTrue(error?.message.contains("certificate has expired") == true, "\(String(describing: error))")
        await client.close()
        await rpc.shutdown()
    }

    func testServerRefusesAKeyThatDoesNotMatchItsCertificate() throws {
        let other = try ca.issue(commonName: "other", ipAddresses: ["127.0.0.1"])
        XCTAssertThrowsError(try startServer {
            $0.tls = TLSServerConfiguration(certificateFile: server.certificateFile, privateKeyFile: other.keyFile)
        }) { error in
            XCTAssertTrue("\(error)".contains("key values mismatch"), "\(error)")
        }
        XCTAssertThrowsError(try startServer {
            $0.tls = TLSServerConfiguration(certificateFile: ca.directory + "/missing.pem", privateKeyFile: other.keyFile)
        }) { error in
            XCTAssertTrue("\(error)".contains("missing.pem"), "\(error)")
        }
    }

    func testPlaintextClientAgainstTLSListenerIsClosedCleanly() async throws {
        try await checkWrongKindOfClientIsClosedCleanly(tlsListener: true, naming: "TLS")
    }

    func testTLSClientAgainstPlaintextListenerIsClosedCleanly() async throws {
        try await checkWrongKindOfClientIsClosedCleanly(tlsListener: false, naming: "does not seem to speak TLS")
    }

    /// A client of the other kind than the listener (plaintext against TLS, or the reverse) fails
    /// with UNAVAILABLE naming the cause (`naming`), and a right client beside it keeps working.
    private func checkWrongKindOfClientIsClosedCleanly(tlsListener: Bool, naming cause: String,
                                                       file: StaticString = #filePath, line: UInt = #line) async throws {
        let (rpc, port) = try tlsListener ? startTLSServer() : startServer()
        let tls = TLSClientConfiguration(caFile: ca.caFile)
        let right = tlsListener ? tlsClient(port: port, tls) : makeClient(port: port)
        _ = try await right.unary(TestService.echo, string("before"), as: StringValue.self)
        let wrong = tlsListener ? makeClient(port: port) : tlsClient(port: port, tls)
        let error = await healthError(wrong, file: file, line: line)
        XCTAssertEqual(error?.code, .unavailable, file: file, line: line)
        XCTAssertTrue(error?.message.contains(cause) == true, "\(String(describing: error))", file: file, line: line)
        await wrong.close()
        let after = try await right.unary(TestService.echo, string("after"), as: StringValue.self).value
        XCTAssertEqual(after, "after", file: file, line: line)
        await waitUntil(file: file, line: line) { rpc.connectionCount == 1 }
        await right.close()
        await rpc.shutdown()
    }

    func testGarbageClientHelloFloodDoesNotHurtOtherCallers() async throws {
        let (rpc, port) = try startTLSServer()
        let client = tlsClient(port: port, TLSClientConfiguration(caFile: ca.caFile))
        _ = try await client.unary(TestService.echo, string("warm"), as: StringValue.self)
        let flood = Task.detached {
            var closedByServer = 0
            for round in 0..<200 {
                guard let socket = try? RawSocket(port: port) else { continue }
                // A TLS handshake record header, then junk where the ClientHello should be.
                var junk: [UInt8] = [0x16, 0x03, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, 0xfc, 0x03, 0x03]
                junk += (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ round) }
                socket.send(junk)
                if socket.readAll().eof { closedByServer += 1 }
                socket.close()
            }
            return closedByServer
        }
        for index in 0..<200 {
            let reply = try await client.unary(TestService.echo, string("call \(index)"), as: StringValue.self)
            XCTAssertEqual(reply.value, "call \(index)")
        }
        let closed = await flood.value
        XCTAssertEqual(closed, 200, "the server closes every garbage handshake")
        await client.close()
        await waitUntil { rpc.connectionCount == 0 }
        await rpc.shutdown()
    }

    func testReloadServesTheNewCertificateWithoutDroppingConnections() async throws {
        let (rpc, port) = try startTLSServer()
        let old = tlsClient(port: port, TLSClientConfiguration(caFile: ca.caFile))
        var received: [Int64] = []
        var stream = old.serverStreaming(TestService.count, int64(3), as: Int64Value.self).makeAsyncIterator()
        if let first = try await stream.next() { received.append(first.value) }

        // Renew: a certificate from a new CA, written over the same files, then reload.
        let renewedCA = try TestCertificates(name: "Renewed CA")
        defer { renewedCA.remove() }
        let renewed = try renewedCA.issue(commonName: "renewed", ipAddresses: ["127.0.0.1"])
        try FileManager.default.removeItem(atPath: server.certificateFile)
        try FileManager.default.removeItem(atPath: server.keyFile)
        try FileManager.default.copyItem(atPath: renewed.certificateFile, toPath: server.certificateFile)
        try FileManager.default.copyItem(atPath: renewed.keyFile, toPath: server.keyFile)
        try rpc.reloadTLS()

        while let item = try await stream.next() { received.append(item.value) }
        XCTAssertEqual(received, [0, 1, 2], "the stream open across the reload finished")
        let again = try await old.unary(TestService.echo, string("same connection"), as: StringValue.self).value
        XCTAssertEqual(again, "same connection")

        let fresh = tlsClient(port: port, TLSClientConfiguration(caFile: renewedCA.caFile))
        let renewedReply = try await fresh.unary(TestService.echo, string("renewed"), as: StringValue.self).value
        XCTAssertEqual(renewedReply, "renewed")
        let stale = tlsClient(port: port, TLSClientConfiguration(caFile: ca.caFile))
        let error = await healthError(stale)
        XCTAssertTrue(error?.message.contains("certificate verify failed") == true, "\(String(describing: error))")
        for client in [old, fresh, stale] { await client.close() }
        await rpc.shutdown()
    }

    func testReloadWithABrokenFileKeepsTheOldCertificate() async throws {
        let (rpc, port) = try startTLSServer()
        try "not a certificate".write(toFile: server.certificateFile, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try rpc.reloadTLS())
        let client = tlsClient(port: port, TLSClientConfiguration(caFile: ca.caFile))
        let still = try await client.unary(TestService.echo, string("still"), as: StringValue.self).value
        XCTAssertEqual(still, "still")
        await client.close()
        await rpc.shutdown()
    }

    func testMutualTLSRequiresAClientCertificateAndShowsItsFingerprint() async throws {
        let clientCA = try TestCertificates(name: "Departments CA")
        defer { clientCA.remove() }
        let department = try clientCA.issue(commonName: "marine", client: true)
        let seen = LockedValue<String?>(nil)
        let router = TestService.router()
        router.registerUnary("/test.v1.Who/Am", Empty.self, StringValue.self) { _, context in
            seen.set(context.clientCertificateSHA256)
            return string(context.clientCertificateSHA256 ?? "")
        }
        let (rpc, port) = try startTLSServer(clientCA: clientCA.caFile, router: router)

        let anonymous = tlsClient(port: port, TLSClientConfiguration(caFile: ca.caFile))
        let error = await healthError(anonymous)
        XCTAssertEqual(error?.code, .unavailable)
        XCTAssertTrue(error?.message.contains("certificate required") == true, "\(String(describing: error))")
        await anonymous.close()

        let stranger = try ca.issue(commonName: "stranger", client: true)
        let wrong = tlsClient(port: port, TLSClientConfiguration(
            caFile: ca.caFile, certificateFile: stranger.certificateFile, privateKeyFile: stranger.keyFile))
        let strangerCode = await healthError(wrong)?.code
        XCTAssertEqual(strangerCode, .unavailable)
        await wrong.close()

        let known = tlsClient(port: port, TLSClientConfiguration(
            caFile: ca.caFile, certificateFile: department.certificateFile, privateKeyFile: department.keyFile))
        let reply = try await known.unary("/test.v1.Who/Am", Empty(), as: StringValue.self)
        XCTAssertEqual(reply.value, try TestCertificates.fingerprint(of: department.certificateFile))
        XCTAssertEqual(seen.get(), reply.value)
        await known.close()
        await rpc.shutdown()
    }

    func testPlaintextBeyondLoopbackIsRefusedUnlessAllowedAndThenAnnounced() async throws {
        XCTAssertThrowsError(try startServer { $0.host = "0.0.0.0" }) { error in
            XCTAssertTrue("\(error)".contains("without TLS"), "\(error)")
        }
        let (loopback, _) = try startServer { $0.host = "localhost" }
        await loopback.shutdown()

        let (rpc, port) = try startServer {
            $0.host = "0.0.0.0"
            $0.allowsPlaintextBeyondLoopback = true
        }
        let socket = try RawSocket(port: port)
        socket.send(Preface.bytes + Wire.hello() + Wire.call(1, Router.healthCheckMethod) + Wire.message(1, []))
        let frames = socket.readFrames(until: .status)
        let status = try frames.last.map { try Tally_Wire_V1_Status(serializedBytes: $0.payload) }
        XCTAssertEqual(status?.code, 0)
        XCTAssertEqual(status?.metadata["transport-security"], "insecure-plaintext")
        socket.close()
        await rpc.shutdown()

        let (tls, tlsPort) = try startServer {
            $0.host = "0.0.0.0"
            $0.tls = TLSServerConfiguration(certificateFile: server.certificateFile, privateKeyFile: server.keyFile)
        }
        let client = tlsClient(port: tlsPort, TLSClientConfiguration(caFile: ca.caFile))
        _ = try await client.unary(Router.healthCheckMethod, Empty(), as: Empty.self)
        await client.close()
        await tls.shutdown()
    }

    func testProtocolVersionsAndALPNAsSeenByOpenSSLsClient() async throws {
        let (rpc, port) = try startTLSServer()
        func handshake(_ options: [String]) throws -> (ok: Bool, output: String) {
            let output = try? TestCertificates.openssl(
                ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", ca.caFile, "-verify_return_error", "-brief"] + options)
            return (output != nil, output ?? "")
        }
        let tls13 = try handshake(["-alpn", "tally/1"])
        XCTAssertTrue(tls13.ok)
        let tls12 = try handshake(["-tls1_2", "-alpn", "tally/1"])
        XCTAssertTrue(tls12.ok, "TLS 1.2 is accepted")
        XCTAssertFalse(try handshake(["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"]).ok, "TLS 1.1 is refused")
        XCTAssertFalse(try handshake(["-alpn", "h2"]).ok, "a client offering only other protocols is refused")
        await rpc.shutdown()
    }
}
