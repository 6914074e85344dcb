/// Targets and projects of the default 2023 plan the fault tests write to (units that count, not 项 tasks).
enum Plan {
    static let marineTargets = ["marine-hitech/hq/new-hq-projects", "marine-hitech/hq/river-bridges",
                                "marine-hitech/high-end/new-starts"]
    static let yinzhuTargets = ["yinzhu/industry/specialized-smes", "yinzhu/industry/high-tech-enterprises",
                                "yinzhu/industry/tax-source-projects"]
    static let marineProject = "p-shandong-energy-finance-trade"
    static let marineBatch = "marine-hitech/hq/hq-under-construction"
}
