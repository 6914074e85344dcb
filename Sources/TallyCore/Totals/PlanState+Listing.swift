import TallyMessages

extension PlanState {
    /// The plan as `Oversight/ListPlan` answers it: everything in the plan's order, or only what
    /// one department holds (its targets, batches and the projects it leads or co-reports).
    /// A shared project is listed once; its `lead_department` names who leads it.
    func listing(department: String?) -> Tally_V1_ListPlanResponse {
        func keep(_ code: String) -> Bool { department.map { $0 == code } ?? true }
        func ordered<Record>(_ records: some Collection<Record>, _ order: (Record) -> Int, _ id: (Record) -> String) -> [Record] {
            records.sorted { (order($0), id($0)) < (order($1), id($1)) }
        }
        let departmentOrder = Dictionary(departments.values.map { ($0.code, $0.sortOrder) }, uniquingKeysWith: { a, _ in a })
        func byDepartment(_ code: String, _ order: Int) -> Int { (departmentOrder[code] ?? Int.max / 2) * 10_000 + order }
        var response = Tally_V1_ListPlanResponse()
        response.departments = ordered(departments.values.filter { keep($0.code) }, \.sortOrder, \.code).map(\.proto)
        response.lines = ordered(lines.values.filter { keep($0.department) }, { byDepartment($0.department, $0.sortOrder) }, \.code).map(\.proto)
        response.targets = ordered(targets.values.filter { keep($0.department) }, { byDepartment($0.department, $0.sortOrder) }, \.id).map(\.proto)
        response.projects = ordered(projects.values.filter { department.map($0.involves) ?? true },
                                    { byDepartment($0.leadDepartment, $0.sortOrder) }, \.id).map(\.proto)
        response.batches = ordered(batches.values.filter { keep($0.department) }, { byDepartment($0.department, $0.sortOrder) }, \.id).map(\.proto)
        return response
    }
}
