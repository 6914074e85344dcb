import Foundation
import TallyMessages

/// How records' fields travel in wire messages, where an empty string stands for "none".
extension Decimal {
    /// An exact decimal field of a message: `.some(nil)` when empty, nil when not exact decimal text.
    static func wire(_ text: String) -> Decimal?? {
        if text.isEmpty { return .some(nil) }
        return Decimal(exact: text).map { .some($0) }
    }
}

extension Optional where Wrapped == Decimal {
    /// The exact decimal text of a message field, empty when none.
    var wireText: String { self?.exactString ?? "" }
}

extension String {
    /// nil for an empty message field.
    var nonEmpty: String? { isEmpty ? nil : self }
}

/// A record placed in a department's line of work (a target, a batch): what ``PlacedMessage/place(_:)`` copies.
protocol PlacedRecord {
    var id: String { get }
    var department: String { get }
    var line: String { get }
    var name: String { get }
}

/// The wire message of a ``PlacedRecord``.
protocol PlacedMessage {
    var id: String { get set }
    var department: String { get set }
    var line: String { get set }
    var name: String { get set }
}

extension PlacedMessage {
    /// Copies the record's id, department, line and name.
    mutating func place(_ record: some PlacedRecord) {
        id = record.id
        department = record.department
        line = record.line
        name = record.name
    }
}

extension TargetRecord: PlacedRecord {}
extension BatchRecord: PlacedRecord {}
extension Tally_V1_Target: PlacedMessage {}
extension Tally_V1_Batch: PlacedMessage {}
