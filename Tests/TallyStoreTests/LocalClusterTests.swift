import Foundation
import TallyStore
import XCTest

final class LocalClusterTests: XCTestCase {
    func testFreePortIsUsable() {
        let port = LocalCluster.freePort()
        XCTAssertGreaterThan(port, 1023)
        XCTAssertLessThan(port, 65536)
    }

    func testUnusableDirectoryIsAClearError() {
        XCTAssertThrowsError(try LocalCluster.create(directory: "/proc/tally-cannot-exist/cluster", port: 1, fsync: false)) { error in
            XCTAssertTrue(error is LocalClusterError, "\(error)")
            XCTAssertTrue("\(error)".contains("/proc/tally-cannot-exist"), "\(error)")
        }
    }

    func testConninfoUsesTheSocketDirectory() throws {
        let cluster = try LocalCluster.create(directory: NSTemporaryDirectory() + "/tally-conninfo-\(UUID().uuidString)/c", port: 5999, fsync: false)
        defer { try? FileManager.default.removeItem(atPath: (cluster.directory as NSString).deletingLastPathComponent) }
        XCTAssertEqual(cluster.conninfo(database: "tally"), "host=\(cluster.directory) port=5999 user=postgres dbname=tally")
        XCTAssertTrue(FileManager.default.fileExists(atPath: cluster.dataDirectory + "/PG_VERSION"))
    }
}
