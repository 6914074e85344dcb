import XCTest
@testable import TallyHTTP
