import TallyMessages

/// Admin calls (`tally.v1.Admin`): the plan and the credentials.
extension TallyClient {
    /// Creates or replaces a department.
    public func upsertDepartment(_ department: Tally_V1_Department) async throws -> Tally_V1_Department {
        try await call("/tally.v1.Admin/UpsertDepartment", department, as: Tally_V1_Department.self)
    }

    /// Creates or replaces a target of the plan.
    public func upsertTarget(_ target: Tally_V1_Target) async throws -> Tally_V1_Target {
        try await call("/tally.v1.Admin/UpsertTarget", target, as: Tally_V1_Target.self)
    }

    /// Creates or replaces a project batch.
    public func upsertBatch(_ batch: Tally_V1_Batch) async throws -> Tally_V1_Batch {
        try await call("/tally.v1.Admin/UpsertBatch", batch, as: Tally_V1_Batch.self)
    }

    /// Creates or replaces a project.
    public func upsertProject(_ project: Tally_V1_Project) async throws -> Tally_V1_Project {
        try await call("/tally.v1.Admin/UpsertProject", project, as: Tally_V1_Project.self)
    }

    /// Creates a credential; the answer carries its token, which is never shown again.
    public func createCredential(name: String, role: Tally_V1_Role, department: String? = nil) async throws
        -> Tally_V1_CreateCredentialResponse {
        var request = Tally_V1_CreateCredentialRequest()
        request.name = name
        request.role = role
        request.department = department ?? ""
        return try await call("/tally.v1.Admin/CreateCredential", request, as: Tally_V1_CreateCredentialResponse.self)
    }

    /// Lists every credential (never their tokens).
    public func listCredentials() async throws -> [Tally_V1_Credential] {
        try await call("/tally.v1.Admin/ListCredentials", Tally_V1_ListCredentialsRequest(),
                       as: Tally_V1_ListCredentialsResponse.self).credentials
    }

    /// Revokes a credential; calls made with its token fail from then on.
    public func revokeCredential(id: String) async throws -> Tally_V1_Credential {
        var request = Tally_V1_RevokeCredentialRequest()
        request.id = id
        return try await call("/tally.v1.Admin/RevokeCredential", request, as: Tally_V1_Credential.self)
    }
}
