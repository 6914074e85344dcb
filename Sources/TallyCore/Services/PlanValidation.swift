import Foundation
import TallyMessages
import TallyWire

/// Plan records built from admin requests, each field checked; failures are INVALID_ARGUMENT naming the field.
extension DepartmentRecord {
    init(validating message: Tally_V1_Department) throws(RPCError) {
        _ = try Validation.identifier("code", message.code)
        guard message.code.wholeMatch(of: /[a-z0-9][a-z0-9-]{0,62}/) != nil else {
            throw RPCError(.invalidArgument, "code: lower-case letters, digits and '-' only (got \(StatusText.quote(message.code)))")
        }
        _ = try Validation.name("name", message.name)
        self = try Validation.built(DepartmentRecord(proto: message),
                                    or: "kind: give central, functional_zone or subdistrict (got \(StatusText.quote(message.kind)))")
    }
}

extension TargetRecord {
    init(validating message: Tally_V1_Target) throws(RPCError) {
        try Validation.placement(id: message.id, department: message.department, line: message.line, name: message.name)
        _ = try Validation.name("unit", message.unit)
        _ = try Validation.decimal("target_figure", message.targetFigure, allowNegative: false)
        guard message.direction != .unspecified else {
            throw RPCError(.invalidArgument, "direction: give AT_LEAST or AT_MOST")
        }
        var proto = message
        proto.currentFigure = ""
        self = try Validation.built(TargetRecord(proto: proto), or: "target: a figure is not an exact decimal")
    }
}

extension BatchRecord {
    init(validating message: Tally_V1_Batch) throws(RPCError) {
        try Validation.placement(id: message.id, department: message.department, line: message.line, name: message.name)
        guard message.plannedCount >= 0 && message.plannedCount <= 100_000 else {
            throw RPCError(.invalidArgument, "planned_count: must be between 0 and 100000")
        }
        _ = try Validation.optionalDecimal("planned_investment", message.plannedInvestment, allowNegative: false)
        _ = try Validation.text("investment_qualifier", message.investmentQualifier, maxBytes: 30)
        self = try Validation.built(BatchRecord(proto: message), or: "milestone: give a stage")
    }
}

extension ProjectRecord {
    init(validating message: Tally_V1_Project) throws(RPCError) {
        _ = try Validation.identifier("id", message.id)
        _ = try Validation.name("name", message.name)
        _ = try Validation.identifier("lead_department", message.leadDepartment)
        _ = try Validation.identifier("line", message.line)
        if !message.batch.isEmpty { _ = try Validation.identifier("batch", message.batch) }
        for code in message.coDepartments { _ = try Validation.identifier("co_departments", code) }
        _ = try Validation.optionalDecimal("planned_investment", message.plannedInvestment, allowNegative: false)
        var proto = message
        if proto.stage == .unspecified { proto.stage = .planned }
        self = try Validation.built(ProjectRecord(proto: proto), or: "project: a figure is not an exact decimal")
    }
}

extension Validation {
    /// The fields of a plan record placed in a department's line of work (a target, a batch): its
    /// id, department and line are identifiers, its name a name.
    static func placement(id: String, department: String, line: String, name: String) throws(RPCError) {
        _ = try identifier("id", id)
        _ = try identifier("department", department)
        _ = try identifier("line", line)
        _ = try Validation.name("name", name)
    }

    /// The record built from a checked message, or INVALID_ARGUMENT saying `problem` when it could not be.
    static func built<Record>(_ record: Record?, or problem: @autoclosure () -> String) throws(RPCError) -> Record {
        guard let record else { throw RPCError(.invalidArgument, problem()) }
        return record
    }
}
