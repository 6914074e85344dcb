import Foundation
import TallyMessages
import TallyStore
import TallyWire

/// Creates, lists and revokes credentials in the database. The token is returned once at creation
/// and only its SHA-256 is stored. Used by the Admin service and by `tally credential` on the server host.
public struct CredentialStore: Sendable {
    private let configuration: PostgresConfiguration

    /// A store that opens its own connection for each operation (command-line use).
    public init(configuration: PostgresConfiguration) {
        self.configuration = configuration
    }

    /// Creates a credential and returns it with its token (shown once).
    public func create(name: String, role: Role, department: String?) throws -> (credential: Tally_V1_Credential, token: String) {
        try withConnection { try Self.create($0, name: name, role: role, department: department) }
    }

    /// Every credential, newest first (no tokens: they are not stored).
    public func list() throws -> [Tally_V1_Credential] {
        try withConnection(Self.list)
    }

    /// Revokes a credential on every server at once (they are told through NOTIFY).
    public func revoke(id: String) throws -> Tally_V1_Credential {
        try withConnection { try Self.revoke($0, id: id) }
    }

    /// Runs `body` on a connection of its own, closed afterwards.
    private func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try PostgresConnection(configuration: configuration)
        defer { connection.close() }
        return try body(connection)
    }

    static func create(_ connection: PostgresConnection, name: String, role: Role, department: String?) throws
        -> (credential: Tally_V1_Credential, token: String)
    {
        switch role {
        case .department:
            guard let department, !department.isEmpty else {
                throw RPCError(.invalidArgument, "department: a department credential needs its department code")
            }
            let exists = try connection.execute("SELECT 1 FROM departments WHERE code = $1", [.text(department)])
            guard !exists.rows.isEmpty else {
                throw RPCError(.notFound, "department \(StatusText.quote(department)) does not exist")
            }
        case .central, .admin:
            guard department == nil || department == "" else {
                throw RPCError(.invalidArgument, "department: only department credentials name a department")
            }
        }
        let token = Token.generate()
        let id = "c-" + String(Token.generate().dropFirst(Token.prefix.count).prefix(12))
        let result = try connection.execute(
            """
            INSERT INTO credentials (id, name, token_hash, role, department) VALUES ($1, $2, $3, $4, $5)
            RETURNING \(columns)
            """,
            [.text(id), .text(name), .text(Token.hash(token)), .text(role.rawValue),
             department.map { .text($0) } ?? .null])
        guard let row = result.rows.first else { throw RPCError(.internalError, "credential not created") }
        return (try credential(row), token)
    }

    static func list(_ connection: PostgresConnection) throws -> [Tally_V1_Credential] {
        try connection.execute("SELECT \(columns) FROM credentials ORDER BY created_at DESC, id").rows.map(credential)
    }

    static func revoke(_ connection: PostgresConnection, id: String) throws -> Tally_V1_Credential {
        try connection.transaction { connection in
            let result = try connection.execute(
                "UPDATE credentials SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING \(columns)",
                [.text(id)])
            guard let row = result.rows.first else {
                throw RPCError(.notFound, "credential \(StatusText.quote(id)) does not exist")
            }
            try connection.execute("SELECT pg_notify('tally_credentials', $1)", [.text(id)])
            return try credential(row)
        }
    }

    private static let columns = "id, name, role, department, created_at, revoked_at"

    private static func credential(_ row: Row) throws -> Tally_V1_Credential {
        var credential = Tally_V1_Credential()
        credential.id = try row.decode(String.self, at: 0)
        credential.name = try row.decode(String.self, at: 1)
        credential.role = Role(rawValue: try row.decode(String.self, at: 2))?.proto ?? .unspecified
        credential.department = try row.decode(String?.self, at: 3) ?? ""
        credential.createdUnixMs = Int64((try row.decode(Date.self, at: 4).timeIntervalSince1970 * 1000).rounded())
        if let revoked = try row.decode(Date?.self, at: 5) {
            credential.revokedUnixMs = Int64((revoked.timeIntervalSince1970 * 1000).rounded())
        }
        return credential
    }
}
