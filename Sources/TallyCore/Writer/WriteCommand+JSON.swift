import Foundation

extension WriteCommand.Sent {
    /// The JSON object `tally_apply_batch` reads. A target report, by far the most frequent
    /// command, is written by hand (a few appends instead of a `JSONEncoder` and its containers:
    /// the encoder was a measurable share of the server's CPU per update); every other command goes
    /// through `Encodable`. Both give the same object (WriterJSONTests compares them).
    func json() throws -> Data {
        guard case .reportTarget(let fields) = command else { return try JSONEncoder().encode(self) }
        var object = JSONObjectText()
        object.add("op", command.op)
        object.add("credential", envelope.credential)
        object.add("role", envelope.role)
        object.add("department", envelope.department)
        object.add("request_id", envelope.request_id)
        object.add("period", envelope.period)
        object.add("made_at", envelope.made_at)
        object.add("server_at", envelope.server_at)
        object.add("target_id", fields.target_id)
        object.add("set_value", fields.set_value)
        object.add("increment", fields.increment)
        object.add("unit", fields.unit)
        object.add("expected_version", fields.expected_version)
        object.add("note", fields.note)
        return object.finished()
    }
}

/// A flat JSON object written member by member; nil members are left out, as `Encodable` leaves them.
struct JSONObjectText {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]

    init() { bytes.reserveCapacity(256) }

    mutating func add(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        name(key)
        JSONStringLiteral.append(value, to: &bytes)
    }

    mutating func add(_ key: StaticString, _ value: Int64?) {
        guard let value else { return }
        name(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// The object's text (closed).
    func finished() -> Data {
        var closed = bytes
        closed.append(UInt8(ascii: "}"))
        return Data(closed)
    }

    private mutating func name(_ key: StaticString) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }
}
