import XCTest

/// `tally import --dry-run`: CSV reading and row validation, with no server.
final class ImportValidationTests: XCTestCase {
    private func write(_ text: String, bom: Bool = false) throws -> String {
        let url = CLIProcess.scratchDirectory.appendingPathComponent("import-\(UUID().uuidString).csv")
        try ((bom ? Data([0xEF, 0xBB, 0xBF]) : Data()) + Data(text.utf8)).write(to: url)
        return url.path
    }

    func testChineseHeaderBOMQuotedCommasAndLineBreaksAreAccepted() throws {
        let file = try write("""
            类型,编号,数值,方式,备注
            指标,yinzhu/a,3,增加,"第二批, 11月"
            项目,yinzhu/p,在建,阶段,"两行
            备注"
            项目,yinzhu/p,12.5,投资,
            指标,yinzhu/b,41.5,设为,

            """, bom: true)
        let result = try CLIProcess.run(["import", file, "--dry-run"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("2 target(s), 1 project(s)"), result.stdout)
    }

    func testEveryBadRowIsReportedWithItsLineNumber() throws {
        let file = try write("type,id,value,mode,note\r\ntarget,yinzhu/a,abc,add,\r\n\r\ntarget,yinzhu/b,3,,\"x\r\ny\"\r\nproject,yinzhu/p,200,percent,\r\nwhat,yinzhu/q,1,set,\r\ntarget,yinzhu/c,1,add,\"a,b\",extra\r\n")
        let result = try CLIProcess.run(["import", file, "--dry-run"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\(file):2: value `abc` is not a number"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\(file):6: percent 200 is not between 0 and 100"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\(file):7: type `what` is not valid"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\(file):8: 6 fields but the header has 5"), result.stderr)
        XCTAssertFalse(result.stderr.contains(":4:"), "line 4 (a quoted CRLF in a note) is fine")
        XCTAssertTrue(result.stderr.contains("4 bad row(s); nothing was sent."), result.stderr)
    }

    func testChineseMessagesByDefault() throws {
        let file = try write("类型,编号,数值\n指标,yinzhu/a,十\n")
        let result = try CLIProcess.run(["import", file, "--dry-run"], environment: ["TALLY_LANG": "zh"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("第 2 行：数值“十”不是数字"), result.stderr)
    }

    func testMissingColumnsAndNonUTF8AreRejected() throws {
        let missing = try write("编号,数值\nyinzhu/a,1\n")
        let result = try CLIProcess.run(["import", missing, "--dry-run"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains(":1: the header lacks the column(s) 类型/type"), result.stderr)

        let url = CLIProcess.scratchDirectory.appendingPathComponent("gbk.csv")
        try Data([0xC0, 0xE0, 0xD0, 0xCD, 0x2C, 0x0A]).write(to: url)   // GBK "类型," is not UTF-8
        let gbk = try CLIProcess.run(["import", url.path, "--dry-run"])
        XCTAssertEqual(gbk.status, 1)
        XCTAssertTrue(gbk.stderr.contains("not UTF-8"), gbk.stderr)
    }
}
