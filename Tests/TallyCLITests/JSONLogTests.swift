import Foundation
import TallyServerTestSupport
import TallyTestSupport
import XCTest

/// `tally serve --log-format json`, as deploy/tally.service runs it: every log line a JSON object whose
/// values are strings, one line per write naming who and what, never the token, and the operator's
/// notices (stopping, stopped) as log events too. (The lines are written without JSONSerialization:
/// BENCHMARKS.md, "Write path v8".)
final class JSONLogTests: XCTestCase {
    func testEveryWriteLogsOneJSONLineAndNeverTheToken() throws {
        let (server, token, _) = try CLIProcess.serve(["--log-format", "json"], role: "department", department: "yinzhu")
        defer { server.stop() }
        let target = "yinzhu/industry/specialized-smes"
        for _ in 0..<2 {
            let report = try CLIProcess.run(["report", "target", target, "--add", "2", "--note", "第一批 \"quoted\"",
                                             "--server", server.address, "--token", token])
            XCTAssertEqual(report.status, 0, report.stderr)
        }

        var objects: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(10)
        repeat {
            // Lines that start with "{" are the log's; the CLI's own messages (the listening line) are text.
            objects = server.log.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }
            if objects.filter({ $0["message"] as? String == "write" }).count >= 2 { break }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        let jsonLines = server.log.split(separator: "\n").filter { $0.hasPrefix("{") }
        XCTAssertEqual(objects.count, jsonLines.count, "every log line parses as JSON:\n\(server.log)")
        XCTAssertFalse(server.log.contains(token), "the token is never logged")
        for object in objects {
            XCTAssertTrue(object.values.allSatisfy { $0 is String }, "every value a string: \(object)")
            XCTAssertTrue((object["time"] as? String ?? "").hasSuffix("Z"), "UTC, ISO 8601: \(object)")
            XCTAssertNotNil(object["level"] as? String)
        }
        let writes = objects.filter { $0["message"] as? String == "write" }
        XCTAssertEqual(writes.count, 2, server.log)
        for write in writes {
            XCTAssertEqual(write["status"] as? String, "OK")
            XCTAssertEqual(write["op"] as? String, "report_target")
            XCTAssertEqual(write["subject"] as? String, target)
            XCTAssertEqual(write["department"] as? String, "yinzhu")
            XCTAssertEqual(write["role"] as? String, "department")
            XCTAssertEqual(write["method"] as? String, "/tally.v1.Reporting/ReportTarget")
            XCTAssertEqual(write["level"] as? String, "info")
            XCTAssertEqual(write["logger"] as? String, "tally.server")
            XCTAssertNotNil(Int(write["sequence"] as? String ?? ""), "\(write)")
            XCTAssertNotNil(Double(write["latency_ms"] as? String ?? ""), "\(write)")
            XCTAssertTrue((write["credential"] as? String ?? "").hasPrefix("c-"), "the credential's id: \(write)")
        }
        XCTAssertNotEqual(writes[0]["sequence"] as? String, writes[1]["sequence"] as? String)

        // Stopping: the operator's notices are log events too, never plain lines among the JSON.
        server.stop()
        var messages: [String] = []
        let stopDeadline = Date().addingTimeInterval(10)
        repeat {
            messages = server.log.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap { line in
                ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["message"] as? String
            }
            if messages.contains("stopped.") { break }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < stopDeadline
        XCTAssertTrue(messages.contains("signal 15 received, stopping…"), server.log)
        XCTAssertTrue(messages.contains("stopped."), server.log)
        XCTAssertFalse(server.log.split(separator: "\n").contains { $0.hasPrefix("signal 15") || $0 == "stopped." },
                       "no plain-text notice on standard error:\n\(server.log)")
    }
}
