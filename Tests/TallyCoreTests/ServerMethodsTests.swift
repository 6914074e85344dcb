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
        + Tally_V1_Office.Method.all

    func testEveryDeclaredMethodIsServedAndBenchMethodsOnlyForBenchmarks() async throws {
        let server = try await TallyTestServer.start()
        let rpc = RPCClient(configuration: ClientConfiguration(host: "127.0.0.1", port: server.port))
        XCTAssertEqual(Self.declared.count, 30)   // with Oversight/ListPlan, ListWarnings, GetForecast, GetRanking, Admin/ApplyPlan, Admin/ExportPlan and the 9 of Office
        for method in Self.declared + [Tally_V1_Health.Method.check.erased] {
            // A department credential and an empty request: refused or rejected, but never unknown.
            // (The central office's for the department's inbox stream, which would otherwise run on.)
            let token = method.path == Tally_V1_Office.Method.watchInbox.path ? server.centralToken : server.yinzhuToken
            let code = await Self.code(rpc, method.path, token: token)
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

    /// The committed descriptors say what the .proto files say (Protocol/generate.sh was run after
    /// the last change to a service): every rpc with its call kind, and nothing else.
    func testDescriptorsMatchTheProtoFiles() throws {
        let protocolDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Protocol")
        var declared: Set<String> = []
        for file in ["tally.proto", "bench.proto", "health.proto"] {
            let text = try String(contentsOf: protocolDirectory.appendingPathComponent(file), encoding: .utf8)
            let package = try XCTUnwrap(text.firstMatch(of: /\npackage\s+([\w.]+);/)).1
            for service in text.matches(of: /service\s+(\w+)\s*\{([^}]*)\}/) {
                for rpc in service.2.matches(of: /rpc\s+(\w+)\s*\(\s*(stream\s+)?[\w.]+\s*\)\s*returns\s*\(\s*(stream\s+)?[\w.]+\s*\)/) {
                    let kind: CallKind = switch (rpc.2 != nil, rpc.3 != nil) {
                    case (false, false): .unary
                    case (false, true): .serverStreaming
                    case (true, false): .clientStreaming
                    case (true, true): .bidirectionalStreaming
                    }
                    declared.insert("/\(package).\(service.1)/\(rpc.1) \(kind)")
                }
            }
        }
        let generated = Self.declared + Tally_Bench_V1_Bench.Method.all + [Tally_V1_Health.Method.check.erased]
        XCTAssertEqual(Set(generated.map { "\($0.path) \($0.kind)" }), declared)
        XCTAssertGreaterThanOrEqual(declared.count, 18, "the .proto files were not read")
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
