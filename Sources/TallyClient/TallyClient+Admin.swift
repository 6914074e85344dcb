import TallyMessages

/// Admin calls (`tally.v1.Admin`): the plan and the credentials.
extension TallyClient {
    /// Creates or replaces a department.
    public func upsertDepartment(_ department: Tally_V1_Department) async throws -> Tally_V1_Department {
        try await call(Tally_V1_Admin.Method.upsertDepartment, department)
    }

    /// Creates or replaces a target of the plan.
    public func upsertTarget(_ target: Tally_V1_Target) async throws -> Tally_V1_Target {
        try await call(Tally_V1_Admin.Method.upsertTarget, target)
    }

    /// Creates or replaces a project batch.
    public func upsertBatch(_ batch: Tally_V1_Batch) async throws -> Tally_V1_Batch {
        try await call(Tally_V1_Admin.Method.upsertBatch, batch)
    }

    /// Creates or replaces a project.
    public func upsertProject(_ project: Tally_V1_Project) async throws -> Tally_V1_Project {
        try await call(Tally_V1_Admin.Method.upsertProject, project)
    }

    /// Creates a credential; the answer carries its token, which is never shown again.
    public func createCredential(name: String, role: Tally_V1_Role, department: String? = nil) async throws
        -> Tally_V1_CreateCredentialResponse {
        var request = Tally_V1_CreateCredentialRequest()
        request.name = name
        request.role = role
        request.department = department ?? ""
        return try await call(Tally_V1_Admin.Method.createCredential, request)
    }

    /// Lists every credential (never their tokens).
    public func listCredentials() async throws -> [Tally_V1_Credential] {
        try await call(Tally_V1_Admin.Method.listCredentials, Tally_V1_ListCredentialsRequest()).credentials
    }

    /// Revokes a credential; calls made with its token fail from then on.
    public func revokeCredential(id: String) async throws -> Tally_V1_Credential {
        var request = Tally_V1_RevokeCredentialRequest()
        request.id = id
        return try await call(Tally_V1_Admin.Method.revokeCredential, request)
    }
}
