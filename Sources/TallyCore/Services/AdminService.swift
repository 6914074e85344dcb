import Foundation
import SwiftProtobuf
import TallyMessages
import TallyRPC
import TallyStore
import TallyWire

/// `tally.v1.Admin`: plan changes (central office or admin, through the writer so they are logged
/// and reach every watcher) and credentials (admin only).
struct AdminService: TallyService {
    let parts: ServerParts
    /// Forgets a revoked credential at once.
    let authenticator: Authenticator

    func register(on router: Router) {
        registerUpsert(Tally_V1_Admin.Method.upsertDepartment, on: router, \.department?.proto) { .department(try .init(validating: $0)) }
        registerUpsert(Tally_V1_Admin.Method.upsertTarget, on: router, \.target?.proto) { .target(try .init(validating: $0)) }
        registerUpsert(Tally_V1_Admin.Method.upsertBatch, on: router, \.batch?.proto) { .batch(try .init(validating: $0)) }
        registerUpsert(Tally_V1_Admin.Method.upsertProject, on: router, \.project?.proto) { .project(try .init(validating: $0)) }
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

    /// Registers an upsert of one kind of plan record: checks the entity and writes it through the
    /// writer (the router has authenticated the caller first, so no one without a credential learns
    /// what validation says), and answers the record as written.
    private func registerUpsert<Record: SwiftProtobuf.Message>(
        _ method: MethodDescriptor<Record, Record>, on router: Router, _ written: KeyPath<WriteOutcome, Record?> & Sendable,
        _ entity: @escaping @Sendable (Record) throws -> PlanEntity
    ) {
        router.registerUnary(method, access: .plan) { request, context in
            let principal = try context.caller
            let entity = try entity(request)
            let outcome = try await writer.submit(.upsert(.init(entity)), .init(principal: principal, requestID: nil),
                                                  logging: context.logger).get()
            return try outcome.required(written)
        }
    }
}
