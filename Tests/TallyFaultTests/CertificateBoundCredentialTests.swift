import Foundation
import TallyClient
import TallyCore
import TallyTestSupport
import TallyServerTestSupport
import TallyWire
import XCTest

/// Mutual TLS with a credential bound to a client certificate: the token works only over a
/// connection that presented that certificate, so a stolen token alone is not enough.
final class CertificateBoundCredentialTests: XCTestCase {
    func testBoundTokenNeedsItsCertificate() async throws {
        let serverCA = try TestCertificates(name: "Server CA")
        let clientCA = try TestCertificates(name: "Departments CA")
        defer { serverCA.remove(); clientCA.remove() }
        let serverFiles = try serverCA.issue(commonName: "tally", ipAddresses: ["127.0.0.1"])
        let marineFiles = try clientCA.issue(commonName: "marine", client: true)
        let thiefFiles = try clientCA.issue(commonName: "thief", client: true)

        for requireClientCertificates in [true, false] {
            let server = try await TallyTestServer.start(configure: {
                $0.tls = TLSServerConfiguration(
                    certificateFile: serverFiles.certificateFile, privateKeyFile: serverFiles.keyFile,
                    clientCAFile: requireClientCertificates ? clientCA.caFile : nil)
            })
            let store = CredentialStore(configuration: server.database)
            let bound = try store.create(
                name: "marine with certificate", role: .department, department: "marine-hitech",
                clientCertificateSHA256: try TestCertificates.fingerprint(of: marineFiles.certificateFile)).token

            func client(_ files: (certificateFile: String, keyFile: String)?) -> TallyClient {
                TallyClient(host: "127.0.0.1", port: server.port, token: bound, security: .tls(TLSClientConfiguration(
                    caFile: serverCA.caFile, certificateFile: files?.certificateFile, privateKeyFile: files?.keyFile)))
            }
            if requireClientCertificates {
                let owner = client(marineFiles)
                let mine = try await owner.listMine()
                XCTAssertFalse(mine.targets.isEmpty)
                await owner.close()
            }
            let thief = client(requireClientCertificates ? thiefFiles : nil)
            do {
                _ = try await thief.listMine()
                XCTFail("a bound token without its certificate was accepted")
            } catch let error as RPCError {
                XCTAssertEqual(error.code, .unauthenticated)
                XCTAssertTrue(error.message.contains("bound to a client certificate"), error.message)
            }
            await thief.close()
            await server.stop()
        }
    }
}
