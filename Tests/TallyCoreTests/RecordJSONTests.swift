import Foundation
@testable import TallyCore
import XCTest

/// Records read the JSON text of the database's `tally_*_json` functions and of the plan file, and
/// write the text the change log and plan file hold, to the byte (each expected text below is what
/// the hand-written coders wrote before the records' Codable was synthesized).
final class RecordJSONTests: XCTestCase {
    private func assertRoundTrip<Record: Codable & Equatable>(
        _ type: Record.Type, _ stored: String, _ written: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let record = try EntityJSON.decode(type, from: stored)
        XCTAssertEqual(try EntityJSON.encode(record), written, file: file, line: line)
        // What was written reads back to the same text (timestamps are kept to the millisecond).
        XCTAssertEqual(try EntityJSON.encode(EntityJSON.decode(type, from: written)), written, file: file, line: line)
    }

    func testEachRecordWritesWhatItWroteBefore() throws {
        try assertRoundTrip(TargetRecord.self,
                         #"{"id": "T-1", "line": "L1", "name": "固定资产投资", "note": "", "unit": "亿元", "period": "2023", "version": 7, "direction": "at_most", "qualifier": "不少于", "department": "yinzhu", "sort_order": 3, "updated_at": "2023-11-27T10:00:00.123456+00:00", "target_figure": "190.000", "current_figure": "120.35"}"#,
                         #"{"current_figure":"120.35","department":"yinzhu","direction":"at_most","id":"T-1","line":"L1","name":"固定资产投资","note":"","period":"2023","qualifier":"不少于","sort_order":3,"target_figure":"190","unit":"亿元","updated_at":"2023-11-27T18:00:00.123+08:00","version":7}"#)
        try assertRoundTrip(TargetRecord.self,
                         #"{"id": "T-2", "line": "L1", "name": "任务", "unit": "项", "period": "2023", "department": "yinzhu", "target_figure": "1"}"#,
                         #"{"current_figure":"0","department":"yinzhu","direction":"at_least","id":"T-2","line":"L1","name":"任务","note":"","period":"2023","qualifier":"","sort_order":0,"target_figure":"1","unit":"项","version":1}"#)
        try assertRoundTrip(BatchRecord.self,
                         #"{"id": "B-1", "line": "L1", "name": "重点项目", "milestone": "signed", "department": "yinzhu", "sort_order": 2, "planned_count": 12, "planned_investment": "85.5", "investment_qualifier": "超"}"#,
                         #"{"department":"yinzhu","id":"B-1","investment_qualifier":"超","line":"L1","milestone":"signed","name":"重点项目","planned_count":12,"planned_investment":"85.5","sort_order":2}"#)
        try assertRoundTrip(BatchRecord.self,
                         #"{"id": "B-2", "line": "L1", "name": "其他", "milestone": "planned", "department": "yinzhu", "campaign": "2023", "planned_count": 0, "planned_investment": null}"#,
                         #"{"campaign":"2023","department":"yinzhu","id":"B-2","investment_qualifier":"","line":"L1","milestone":"planned","name":"其他","planned_count":0,"planned_investment":null,"sort_order":0}"#)
        try assertRoundTrip(ProjectRecord.self,
                         #"{"id": "P-1", "line": "L1", "name": "港口", "batch": null, "stage": "under_construction", "shares": [{"department": "marine", "investment_completed": "1.50"}], "percent": "35.5", "version": 4, "campaign": "2023", "sort_order": 1, "co_departments": ["marine"], "lead_department": "yinzhu", "planned_investment": null, "investment_completed": "12.000", "updated_at": "2023-06-01T00:00:00+08:00"}"#,
                         #"{"batch":null,"campaign":"2023","co_departments":["marine"],"id":"P-1","investment_completed":"12","lead_department":"yinzhu","line":"L1","name":"港口","percent":"35.5","planned_investment":null,"shares":[{"department":"marine","investment_completed":"1.5"}],"sort_order":1,"stage":"under_construction","updated_at":"2023-06-01T00:00:00+08:00","version":4}"#)
        try assertRoundTrip(ProjectRecord.self,
                         #"{"id": "P-2", "line": "L1", "name": "园区", "batch": "B-1", "lead_department": "yinzhu", "planned_investment": "20", "shares": []}"#,
                         #"{"batch":"B-1","co_departments":[],"id":"P-2","investment_completed":"0","lead_department":"yinzhu","line":"L1","name":"园区","percent":"0","planned_investment":"20","sort_order":0,"stage":"planned","version":1}"#)
        try assertRoundTrip(LineRecord.self,
                         #"{"code": "L1", "goal": "现代海洋活力新城", "name": "总部引领", "department": "yinzhu", "sort_order": 1}"#,
                         #"{"code":"L1","department":"yinzhu","goal":"现代海洋活力新城","name":"总部引领","sort_order":1}"#)
        try assertRoundTrip(LineRecord.self,
                         #"{"code": "L2", "name": "总部", "department": "yinzhu"}"#,
                         #"{"code":"L2","department":"yinzhu","goal":"","name":"总部","sort_order":0}"#)
        try assertRoundTrip(DepartmentRecord.self,
                         #"{"code": "yinzhu", "kind": "subdistrict", "name": "隐珠街道", "sort_order": 5}"#,
                         #"{"code":"yinzhu","kind":"subdistrict","name":"隐珠街道","sort_order":5}"#)
        try assertRoundTrip(DepartmentRecord.self,
                         #"{"code": "central", "kind": "central", "name": "中心"}"#,
                         #"{"code":"central","kind":"central","name":"中心","sort_order":0}"#)
        try assertRoundTrip(PeriodRecord.self,
                         #"{"code": "2023-01", "kind": "month", "due_at": "2023-02-05T00:00:00+08:00", "ends_at": "2023-01-31T16:00:00+00:00", "starts_at": "2023-01-01T00:00:00+08:00"}"#,
                         #"{"code":"2023-01","due_at":"2023-02-05T00:00:00+08:00","ends_at":"2023-02-01T00:00:00+08:00","kind":"month","starts_at":"2023-01-01T00:00:00+08:00"}"#)
        try assertRoundTrip(CampaignRecord.self,
                         #"{"code": "2023", "name": "创新突破年", "notes": ["一", "二"], "format": 2, "warnings": {"red_periods": 3, "milestone_days": 30}}"#,
                         #"{"code":"2023","format":2,"name":"创新突破年","notes":["一","二"],"warnings":{"milestone_days":30,"red_periods":3,"report_grace_days":0,"stalled_months":2}}"#)
        try assertRoundTrip(CampaignRecord.self,
                         #"{"code": "2024", "name": "年", "warnings": null}"#,
                         #"{"code":"2024","format":1,"name":"年","notes":[]}"#)
    }

    func testOfficeRecordsReadTheirDatabaseText() throws {
        let dispatch = try EntityJSON.decode(DispatchRecord.self, from: #"{"id": "D3", "title": "报送", "instructions": "请报", "subjects": ["T-1"], "due_ms": 1690000000123, "created_ms": 1689000000000, "created_by": "c-1", "closed_ms": null, "closed_by": null, "recipients": [{"department": "yinzhu", "answered_ms": 1689500000000, "answered_by": "k-2", "answer": "已报", "report": "R1"}, {"department": "marine", "answered_ms": null, "answered_by": null, "answer": "", "report": null}]}"#)
        XCTAssertEqual(dispatch, DispatchRecord(
            id: "D3", title: "报送", instructions: "请报", subjects: ["T-1"],
            dueAt: Date(timeIntervalSince1970: 1_690_000_000.123), createdAt: Date(timeIntervalSince1970: 1_689_000_000),
            createdBy: "c-1", recipients: [
                .init(department: "yinzhu", answeredAt: Date(timeIntervalSince1970: 1_689_500_000), answeredBy: "k-2",
                      answer: "已报", report: "R1"),
                .init(department: "marine"),
            ]))
        let report = try EntityJSON.decode(PeriodReportRecord.self, from: #"{"id": "R12", "department": "yinzhu", "period": "2023-06", "credential": "k-2", "request_id": "u-1", "note": "n", "first_sequence": 10, "last_sequence": 12, "submitted_ms": 1689000000000, "review_state": "returned", "review_comment": "改", "reviewed_ms": 1689100000000, "reviewed_by": "c-1", "resubmits": null, "dispatch": "D3", "corrected_by": "R13"}"#)
        XCTAssertEqual(report, PeriodReportRecord(
            id: "R12", department: "yinzhu", period: "2023-06", credential: "k-2", requestId: "u-1", note: "n",
            firstSequence: 10, lastSequence: 12, submittedAt: Date(timeIntervalSince1970: 1_689_000_000),
            reviewState: .returned, reviewComment: "改", reviewedAt: Date(timeIntervalSince1970: 1_689_100_000),
            reviewedBy: "c-1", correctedBy: "R13", dispatch: "D3"))
        let bare = try EntityJSON.decode(PeriodReportRecord.self,
                                         from: #"{"id": "R1", "department": "d", "period": "2023", "submitted_ms": 0}"#)
        XCTAssertEqual(bare.reviewState, .submitted)
        XCTAssertEqual(bare.reviewedAt, nil)
    }

    func testABadOrMissingFigureIsRefusedNamingIt() throws {
        let bad = #"{"id": "T", "department": "d", "line": "l", "name": "n", "unit": "u", "period": "2023", "target_figure": "1e3"}"#
        XCTAssertThrowsError(try EntityJSON.decode(TargetRecord.self, from: bad)) { error in
            XCTAssertTrue("\(error)".contains("not an exact decimal: 1e3"), "\(error)")
        }
        let missing = #"{"id": "T", "department": "d", "line": "l", "name": "n", "unit": "u", "period": "2023"}"#
        XCTAssertThrowsError(try EntityJSON.decode(TargetRecord.self, from: missing)) { error in
            XCTAssertTrue("\(error)".contains("target_figure"), "\(error)")
        }
        let badTime = #"{"code": "2023", "kind": "year", "starts_at": "2023-01-01", "ends_at": "x", "due_at": "x"}"#
        XCTAssertThrowsError(try EntityJSON.decode(PeriodRecord.self, from: badTime)) { error in
            XCTAssertTrue("\(error)".contains("not an ISO 8601 timestamp: 2023-01-01"), "\(error)")
        }
    }
}
