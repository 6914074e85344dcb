import Foundation
import SwiftProtobuf
import TallyMessages
import TallyRPC
import TallyServerTestSupport
import TallyWire
import XCTest

/// The generated method descriptors and the server's registrations agree: every method that
/// tally.proto declares is served, and the benchmark methods only by a server started for `tally bench`.
final class ServerMethodsTests: XCTestCase {
    static let declared = Tally_V1_Reporting.Method.all + Tally_V1_Oversight.Method.all + Tally_V1_Admin.Method.all

    func testEveryDeclaredMethodIsServedAndBenchMethodsOnlyForBenchmarks() async throws {
        let server = try await TallyTestServer.start()
        let rpc = RPCClient(configuration: ClientConfiguration(host: "127.0.0.1", port: server.port))
        XCTAssertEqual(Self.declared.count, 16)   // with Oversight/ListPlan
        for method in Self.declared + [Tally_V1_Health.Method.check.erased] {
            // A department credential and an empty request: refused or rejected, but never unknown.
            let code = await Self.code(rpc, method.path, token: server.yinzhuToken)
            XCTAssertNotEqual(code, .unimplemented, "\(method) is declared but not served")
        }
        for method in Tally_Bench_V1_Bench.Method.all {
            let code = await Self.code(rpc, method.path, token: server.yinzhuToken)
            XCTAssertEqual(code, .unimplemented, "\(method) served without --serve-child")
        }
        await rpc.close()
        await server.stop()

        let bench = try await TallyTestServer.start(configure: { $0.enableBenchMethods = true })
        let benchRPC = RPCClient(configuration: ClientConfiguration(host: "127.0.0.1", port: bench.port))
        let statistics = try await benchRPC.unary(Tally_Bench_V1_Bench.Method.writerStatistics, Google_Protobuf_Empty(),
                                                  timeout: .seconds(10))
        XCTAssertEqual(statistics.value.split(separator: " ").count, 2)
        await benchRPC.close()
        await bench.stop()
    }

    /// The status of a call with an empty request (OK when it succeeds).
    private static func code(_ rpc: RPCClient, _ path: String, token: String) async -> StatusCode {
        do {
            _ = try await rpc.unary(path, Google_Protobuf_Empty(), as: Google_Protobuf_Empty.self,
                                    metadata: ["authorization": "Bearer \(token)"], timeout: .seconds(10))
            return .ok
        } catch let error as RPCError {
            return error.code
        } catch {
            return .unknown
        }
    }
}
