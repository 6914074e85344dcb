import TallyWire
import XCTest

/// Asserts that an async call fails with an RPC status of the given code; returns the error.
@discardableResult
public func assertStatus<T>(_ code: StatusCode, _ what: String = "", _ body: () async throws -> T,
                            file: StaticString = #filePath, line: UInt = #line) async -> RPCError? {
    do {
        _ = try await body()
        XCTFail("\(what): expected \(code.name), the call succeeded", file: file, line: line)
    } catch let error as RPCError {
        XCTAssertEqual(error.code, code, "\(what): \(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("\(what): expected \(code.name), got \(error)", file: file, line: line)
    }
    return nil
}
