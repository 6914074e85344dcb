import TallyWire

/// Role checks shared by the services.
extension Principal {
    /// The department of a department credential; PERMISSION_DENIED for any other role.
    func requireDepartment() throws(RPCError) -> String {
        guard role == .department, let department else {
            throw RPCError(.permissionDenied,
                "only a department credential reports figures; this credential has the \(role.rawValue) role (the central office reads everything and changes only the plan)")
        }
        return department
    }

    /// Central office or admin: reads everything.
    func requireReader() throws(RPCError) {
        guard role == .central || role == .admin else {
            throw RPCError(.permissionDenied,
                "only the central office reads the whole New Area; this credential reports for \(department ?? "a department")")
        }
    }

    /// Central office or admin: changes the plan.
    func requirePlanner() throws(RPCError) {
        guard role == .central || role == .admin else {
            throw RPCError(.permissionDenied,
                "only the central office or an admin changes the plan; this credential reports for \(department ?? "a department")")
        }
    }

    /// Admin only: manages credentials.
    func requireAdmin() throws(RPCError) {
        guard role == .admin else {
            throw RPCError(.permissionDenied, "only an admin credential manages credentials; this one has the \(role.rawValue) role")
        }
    }
}
