import TallyMessages

/// Admin calls (`tally.v1.Admin`): the plan and the credentials. `upsertDepartment`, `upsertTarget`,
/// `upsertBatch` and `upsertProject` (create or replace a record of the plan) take the record as it
/// is (generated, `Generated/tally.client.swift`).
extension TallyClient {
    /// Creates a credential; the answer carries its token, which is never shown again.
    public func createCredential(name: String, role: Tally_V1_Role, department: String? = nil) async throws
        -> Tally_V1_CreateCredentialResponse {
        try await createCredential(.with {
            $0.name = name
            $0.role = role
            $0.department = department ?? ""
        })
    }

    /// Lists every credential (never their tokens).
    public func listCredentials() async throws -> [Tally_V1_Credential] {
        try await listCredentials(Tally_V1_ListCredentialsRequest()).credentials
    }

    /// Revokes a credential; calls made with its token fail from then on.
    public func revokeCredential(id: String) async throws -> Tally_V1_Credential {
        try await revokeCredential(.with { $0.id = id })
    }
}
