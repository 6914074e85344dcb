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

    func register(on router: Router) {
        router.registerUnary(Tally_V1_Admin.Method.upsertDepartment, access: .plan) {
            request, context in
            let outcome = try await upsert(context) { () throws(RPCError) in
                .department(try DepartmentRecord(validating: request))
            }
            return try outcome.required(\.department).proto
        }
        router.registerUnary(Tally_V1_Admin.Method.upsertTarget, access: .plan) {
            request, context in
            let outcome = try await upsert(context) { () throws(RPCError) in
                .target(try TargetRecord(validating: request))
            }
            return try outcome.required(\.target).proto
        }
        router.registerUnary(Tally_V1_Admin.Method.upsertBatch, access: .plan) {
            request, context in
            let outcome = try await upsert(context) { () throws(RPCError) in
                .batch(try BatchRecord(validating: request))
            }
            return try outcome.required(\.batch).proto
        }
        router.registerUnary(Tally_V1_Admin.Method.upsertProject, access: .plan) {
            request, context in
            let outcome = try await upsert(context) { () throws(RPCError) in
                .project(try ProjectRecord(validating: request))
            }
            return try outcome.required(\.project).proto
        }
        router.registerUnary(Tally_V1_Admin.Method.createCredential, access: .administer) { request, _ in
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
        router.registerUnary(Tally_V1_Admin.Method.listCredentials, access: .administer) { _, _ in
            var response = Tally_V1_ListCredentialsResponse()
            response.credentials = try await pool.reading { try CredentialStore.list($0) }
            return response
        }
        router.registerUnary(Tally_V1_Admin.Method.revokeCredential, access: .administer) { request, _ in
            let id = try Validation.identifier("id", request.id)
            let revoked = try await pool.serving { try CredentialStore.revoke($0, id: id) }
            authenticator.evict(credentialIDs: [id])
            return revoked
        }
    }

    /// Checks the entity and writes it through the writer (the router has authenticated the caller
    /// first, so no one without a credential learns what validation says).
    private func upsert(_ context: ServerContext, _ entity: () throws(RPCError) -> PlanEntity) async throws -> WriteOutcome {
        let principal = try context.caller
        let entity = try entity()
        return try await writer.submit(.upsert(.init(entity)), .init(principal: principal, requestID: nil), logging: context.logger).get()
    }
}
