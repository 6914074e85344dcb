import Foundation
import TallyMessages
import TallyRPC
import TallyStore
import TallyWire

/// `tally.v1.Admin`: plan changes (central office or admin, through the writer so they are logged
/// and reach every watcher) and credentials (admin only).
struct AdminService: Sendable {
    let authenticator: Authenticator
    let writer: Writer
    let pool: ConnectionPool

    static let prefix = "/tally.v1.Admin/"

    func register(on router: Router) {
        router.registerUnary(Self.prefix + "UpsertDepartment", Tally_V1_Department.self, Tally_V1_Department.self) {
            request, context in
            let outcome = try await upsert(context) { () throws(RPCError) in
                .department(try DepartmentRecord(validating: request))
            }
            return try outcome.required(\.department).proto
        }
        router.registerUnary(Self.prefix + "UpsertTarget", Tally_V1_Target.self, Tally_V1_Target.self) {
            request, context in
            let outcome = try await upsert(context) { () throws(RPCError) in
                .target(try TargetRecord(validating: request))
            }
            return try outcome.required(\.target).proto
        }
        router.registerUnary(Self.prefix + "UpsertBatch", Tally_V1_Batch.self, Tally_V1_Batch.self) {
            request, context in
            let outcome = try await upsert(context) { () throws(RPCError) in
                .batch(try BatchRecord(validating: request))
            }
            return try outcome.required(\.batch).proto
        }
        router.registerUnary(Self.prefix + "UpsertProject", Tally_V1_Project.self, Tally_V1_Project.self) {
            request, context in
            let outcome = try await upsert(context) { () throws(RPCError) in
                .project(try ProjectRecord(validating: request))
            }
            return try outcome.required(\.project).proto
        }
        router.registerUnary(Self.prefix + "CreateCredential", Tally_V1_CreateCredentialRequest.self,
                             Tally_V1_CreateCredentialResponse.self) { request, context in
            let principal = try await authenticator.authenticate(context)
            try principal.requireAdmin()
            guard let role = Role(proto: request.role) else {
                throw RPCError(.invalidArgument, "role: give DEPARTMENT, CENTRAL or ADMIN")
            }
            let name = try Validation.name("name", request.name)
            let department = request.department.isEmpty ? nil : try Validation.identifier("department", request.department)
            let created = try await pool.serving { connection in
                try CredentialStore.create(connection, name: name, role: role, department: department)
            }
            var response = Tally_V1_CreateCredentialResponse()
            response.credential = created.credential
            response.token = created.token
            return response
        }
        router.registerUnary(Self.prefix + "ListCredentials", Tally_V1_ListCredentialsRequest.self,
                             Tally_V1_ListCredentialsResponse.self) { _, context in
            let principal = try await authenticator.authenticate(context)
            try principal.requireAdmin()
            var response = Tally_V1_ListCredentialsResponse()
            response.credentials = try await pool.serving { try CredentialStore.list($0) }
            return response
        }
        router.registerUnary(Self.prefix + "RevokeCredential", Tally_V1_RevokeCredentialRequest.self,
                             Tally_V1_Credential.self) { request, context in
            let principal = try await authenticator.authenticate(context)
            try principal.requireAdmin()
            let id = try Validation.identifier("id", request.id)
            let revoked = try await pool.serving { try CredentialStore.revoke($0, id: id) }
            authenticator.evict(credentialIDs: [id])
            return revoked
        }
    }

    /// Authenticates the caller first (so that no one without a credential learns what validation
    /// says), then checks the entity and writes it through the writer.
    private func upsert(_ context: ServerContext, _ entity: () throws(RPCError) -> PlanEntity) async throws -> WriteOutcome {
        let principal = try await authenticator.authenticate(context)
        try principal.requirePlanner()
        let entity = try entity()
        return try await writer.submit(.upsert(.init(entity)), .init(principal: principal, requestID: nil)).get()
    }
}
