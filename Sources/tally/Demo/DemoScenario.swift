struct DemoScenario { var settings: Settings; var weeks: Int; func run() async throws {} }
