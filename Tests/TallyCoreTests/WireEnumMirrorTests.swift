import TallyMessages
import XCTest

@testable import TallyCore

/// Each domain enum mirrors its wire enum case for case, in the wire's order (the mapping counts
/// on it): the names must agree, every case must survive the round trip, and UNSPECIFIED maps to nil.
final class WireEnumMirrorTests: XCTestCase {
    private func checkMirror<Mirror: WireEnumMirror>(_ type: Mirror.Type, file: StaticString = #filePath, line: UInt = #line)
        where Mirror.Wire: CaseIterable {
        let wireCases = Mirror.Wire.allCases.filter { $0.rawValue != 0 }
        XCTAssertEqual(Mirror.allCases.map { "\($0)" }, wireCases.map { "\($0)" },
                       "\(Mirror.self) must list the cases of \(Mirror.Wire.self) in the same order", file: file, line: line)
        for value in Mirror.allCases {
            XCTAssertEqual(Mirror(proto: value.proto), value, file: file, line: line)
        }
        XCTAssertNil(Mirror(proto: Mirror.Wire()), "UNSPECIFIED has no domain case", file: file, line: line)
        XCTAssertNil(Mirror(proto: Mirror.Wire(rawValue: 99) ?? Mirror.Wire()), file: file, line: line)
    }

    func testEveryMirrorMatchesItsWireEnum() {
        checkMirror(Direction.self)
        checkMirror(Role.self)
        checkMirror(Stage.self)
        checkMirror(Standing.self)
    }

    func testStageOrderIsTheWireOrder() {
        XCTAssertEqual(Stage.allCases.map(\.order), Array(0..<6))
        XCTAssertLessThan(Stage.signed, Stage.underConstruction)
        XCTAssertEqual(Stage.inProduction.proto, .inProduction)
    }
}
