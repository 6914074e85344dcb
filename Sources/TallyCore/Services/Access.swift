import TallyRPC
import TallyWire

/// Who may call each Tally method. Every method declares one of these where it is registered; the
/// router's ``AuthenticationInterceptor`` (with the ``Authenticator``) checks it before the handler runs.
extension MethodAccess {
    /// Department credentials: report figures and read their own.
    static let report = MethodAccess(name: "report", roles: [Role.department.rawValue])
    /// Central office or admin: read the whole New Area.
    static let read = MethodAccess(name: "read", roles: [Role.central.rawValue, Role.admin.rawValue])
    /// Central office or admin: change the plan.
    static let plan = MethodAccess(name: "plan", roles: [Role.central.rawValue, Role.admin.rawValue])
    /// Admin only: manage credentials.
    static let administer = MethodAccess(name: "administer", roles: [Role.admin.rawValue])
    /// Admin only: apply and export whole plan files (`tally plan`).
    static let planFiles = MethodAccess(name: "plan files", roles: [Role.admin.rawValue])
    /// Central office or admin: issue and close 调度 requests, review period reports.
    static let office = MethodAccess(name: "office", roles: [Role.central.rawValue, Role.admin.rawValue])
    /// Department credentials: read the inbox and answer 调度 requests addressed to them.
    static let answer = MethodAccess(name: "answer", roles: [Role.department.rawValue])
    /// Any credential; the handler narrows what a department may see.
    static let anyCredential = MethodAccess(name: "any credential", roles: Set(Role.allCases.map(\.rawValue)))
}

extension Principal {
    /// Why this principal may not call a method with `access`: PERMISSION_DENIED naming the rule.
    func refusal(_ access: MethodAccess) -> RPCError {
        let message: String
        switch access {
        case .report:
            message = "only a department credential reports figures; this credential has the \(role.rawValue) role (the central office reads everything and changes only the plan)"
        case .read:
            message = "only the central office reads the whole New Area; this credential reports for \(department ?? "a department")"
        case .plan:
            message = "only the central office or an admin changes the plan; this credential reports for \(department ?? "a department")"
        case .planFiles:
            message = "only an admin credential applies or exports plan files; this one has the \(role.rawValue) role"
        case .office:
            message = "only the central office or an admin issues and closes 调度 requests and reviews reports; this credential reports for \(department ?? "a department")"
        case .answer:
            message = "only a department credential has an inbox and answers 调度 requests; this credential has the \(role.rawValue) role"
        case .administer:
            message = "only an admin credential manages credentials; this one has the \(role.rawValue) role"
        default:
            message = "the \(role.rawValue) role may not call this method (\(access))"
        }
        return RPCError(.permissionDenied, message)
    }

    /// The department a department credential reports for (the router has checked the role).
    func reportingDepartment() throws(RPCError) -> String {
        guard role == .department, let department else {
            throw RPCError(.internalError, "credential \(credentialID) reports for no department")
        }
        return department
    }
}

extension ServerContext {
    /// The caller the router authenticated for this call.
    var caller: Principal {
        get throws(RPCError) { try principal(as: Principal.self) }
    }
}
