import Foundation
import Logging
import TallyClient
import TallyCore
import TallyMessages
import TallyPresentation
import TallyStore

/// The `tally demo` scenario: an in-process server on a free port, three credentials, two
/// departments reporting concurrently over their own connections, a central watcher, a summary.
struct DemoScenario: Sendable {
    var settings: Settings
    var weeks: Int
    var asOf: Date?

    static let demoDatabase = "tally_demo"

    func run() async throws {
        let lang = settings.language
        let progress = ProgressReporter(enabled: true, lang: lang)
        let started = Date()
        let moment = OfficeFormat.date(asOf ?? AsOfDate.parse("2023-11-27") ?? started, lang)
        Console.out(lang.pick(
            zh: "演示：在独立数据库 \(Self.demoDatabase) 中启动一个服务，海洋高新区与隐珠街道各用自己的连接同时上报 \(weeks) 周的进度（按 \(moment) 所在的 2023 年计划计），中心同时实时查看每一笔变化，最后打印总结。约需 \(weeks + 1) 秒（每周间隔 0.4 秒，便于阅读）。",
            en: "Demo: a server on its own database \(Self.demoDatabase); 海洋高新区 and 隐珠街道 report \(weeks) weeks of progress at once over their own connections (counted in the 2023 plan as of \(moment)) while the central office watches every change live; then a summary. About \(weeks + 1) s (0.4 s between weeks, to be readable)."))
        let (target, configuration) = try openDatabase(progress: progress)
        defer { target.close(progress: progress) }

        var logger = Logger(label: "tally.demo")
        logger.logLevel = .warning
        var serverConfiguration = TallyServerConfiguration(database: configuration)
        serverConfiguration.host = "127.0.0.1"
        serverConfiguration.port = 0
        // The demo plays in late 2023, the plan's year: reports count for that month.
        serverConfiguration.pinnedNow = asOf ?? AsOfDate.parse("2023-11-27")
        let server = TallyServer(configuration: serverConfiguration, logger: logger)
        progress.step(lang.pick(zh: "启动演示服务（迁移并载入 2023 年计划）", en: "starting the demo server (migrate, load the 2023 plan)"))
        let port = try await server.start()
        Console.out(lang.pick(zh: "演示服务监听 127.0.0.1:\(port)（数据库：\(target.displayName)）",
                              en: "demo server on 127.0.0.1:\(port) (database: \(target.displayName))"))
        do {
            try await scenario(port: port, configuration: configuration, lang: lang, progress: progress,
                               moveClock: { server.pinClock(to: $0) })
        } catch {
            await server.shutdown()
            throw CLIError.from(error, lang: lang)
        }
        await server.shutdown()
        let seconds = OfficeFormat.decimal(Decimal(Date().timeIntervalSince(started)), digits: 1)
        Console.out(lang.pick(zh: "演示结束，用时 \(seconds) 秒。", en: "Demo finished in \(seconds) s."))
    }

    private func openDatabase(progress: ProgressReporter) throws(CLIError) -> (DatabaseTarget, PostgresConfiguration) {
        if settings.database.value != nil {
            let target = try DatabaseTarget.open(settings, progress: progress, mayCreate: true)
            return (target, target.configuration)
        }
        let target = try DatabaseTarget.open(settings, progress: progress, mayCreate: true)
        guard let embedded = target.embedded, let cluster = target.cluster else { return (target, target.configuration) }
        progress.step(zh: "重建数据库 \(Self.demoDatabase)", en: "recreating database \(Self.demoDatabase)")
        do {
            try embedded.dropDatabaseIfExists(Self.demoDatabase, in: cluster)
            try embedded.createDatabaseIfNeeded(Self.demoDatabase, in: cluster)
        } catch {
            target.close(progress: progress)
            throw error
        }
        return (target, cluster.configuration(database: Self.demoDatabase))
    }

    /// `moveClock` moves the demo server's pinned now (to show a warning that time alone starts).
    private func scenario(port: Int, configuration: PostgresConfiguration, lang: Language, progress: ProgressReporter,
                          moveClock: @Sendable (Date) -> Void) async throws {
        progress.step(lang.pick(zh: "创建凭据：中心 1 个、部门 2 个", en: "creating credentials: one central, two department"))
        let store = CredentialStore(configuration: configuration)
        let central = try store.create(name: "demo-central", role: .central, department: nil)
        let reporters = [
            DemoReporter(code: "marine-hitech", weeklyShare: 22, token: try store.create(name: "demo-marine-hitech", role: .department, department: "marine-hitech").token),
            DemoReporter(code: "yinzhu", weeklyShare: 9, token: try store.create(name: "demo-yinzhu", role: .department, department: "yinzhu").token),
        ]
        let renderer = DashboardRenderer(lang: lang, palette: Palette.forStandardOutput(), campaignDates: true)
        let watcherClient = TallyClient(host: "127.0.0.1", port: port, token: central.token, peerName: "tally-demo/central")
        let watcher = Task {
            for try await event in watcherClient.watchResuming() {
                switch event.event {
                case .snapshot(let dashboard):
                    Console.out(lang.pick(zh: "[中心] 看板快照 #\(dashboard.sequence)，总体完成度 \(OfficeFormat.decimal(dashboard.overall.completionPercent, digits: 1))%，预警 \(dashboard.warnings.count) 条",
                                          en: "[central] snapshot #\(dashboard.sequence), overall \(OfficeFormat.decimal(dashboard.overall.completionPercent, digits: 1))%, \(dashboard.warnings.count) warning(s)"))
                case .change(let change):
                    Console.out("[\(lang.pick(zh: "中心", en: "central"))] " + renderer.changeLine(change)
                        + lang.pick(zh: "；总体 \(OfficeFormat.decimal(change.overall.completionPercent, digits: 1))%",
                                    en: "; overall \(OfficeFormat.decimal(change.overall.completionPercent, digits: 1))%"))
                case .warning(let warning):
                    Console.out("[\(lang.pick(zh: "中心", en: "central"))] " + InsightText.event(warning, lang))
                case nil:
                    break
                }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for reporter in reporters {
                group.addTask { try await reporter.run(port: port, weeks: weeks, lang: lang) }
            }
            try await group.waitForAll()
        }
        let now = asOf ?? AsOfDate.parse("2023-11-27") ?? Date()
        try await DemoOfficeRound(port: port, centralToken: central.token, answering: reporters[1], silent: reporters[0],
                                  now: now).run(lang: lang)
        // Three days on, the request (due two days after it was sent) is overdue for the silent
        // department: the warning starts with no write, and the watcher is told.
        let later = now.addingTimeInterval(3 * 86_400)
        Console.out(lang.pick(zh: "—— 时钟拨到 \(OfficeFormat.date(later, lang))：调度已过截止时间 ——",
                              en: "—— the clock moves to \(OfficeFormat.date(later, lang)): the request's due time has passed ——"))
        moveClock(later)
        try await Task.sleep(for: .milliseconds(700))   // let the watcher print the last changes
        watcher.cancel()
        await watcherClient.close()
        try await summary(port: port, token: central.token, lang: lang)
    }

    private func summary(port: Int, token: String, lang: Language) async throws {
        let client = TallyClient(host: "127.0.0.1", port: port, token: token, peerName: "tally-demo/summary")
        let moment = asOf ?? AsOfDate.parse("2023-11-27")
        let dashboard = try await client.dashboard(asOf: moment)
        await client.close()
        let renderer = DashboardRenderer(lang: lang, palette: Palette.forStandardOutput(), campaignDates: true)
        Console.out()
        Console.out(renderer.palette.bold(lang.pick(zh: "—— 总结 ——", en: "—— Summary ——")))
        renderer.render(dashboard).forEach { Console.out($0) }
        let behind = dashboard.departments.flatMap { d in d.targets.filter { $0.standing == .behind }.map { (d.department.name, $0.target.name) } }
        Console.out(lang.pick(zh: "滞后指标 \(behind.count) 项", en: "\(behind.count) target(s) behind")
            + (behind.isEmpty ? "" : lang.pick(zh: "：", en: ": ") + behind.prefix(6).map { "\($0.0)·\($0.1)" }.joined(separator: "、") + (behind.count > 6 ? "…" : "")))
        // The server runs on the demo's campaign clock, so its "not reported this period" is the demo's.
        let names = Dictionary(uniqueKeysWithValues: dashboard.departments.map { ($0.department.code, $0.department.name) })
        let silent = dashboard.notReported.map { names[$0] ?? $0 }
        Console.out(silent.isEmpty
            ? lang.pick(zh: "各部门均已上报。", en: "Every department reported.")
            : lang.pick(zh: "未上报：\(silent.joined(separator: "、"))", en: "Not reported: \(silent.joined(separator: ", "))"))
        Console.out(lang.pick(
            zh: "全区总体完成度 \(OfficeFormat.decimal(dashboard.overall.completionPercent, digits: 1))%（时间进度 \(OfficeFormat.decimal(dashboard.elapsedPercent, digits: 1))%），完成投资 \(OfficeFormat.money(yi: dashboard.investmentCompleted, lang))",
            en: "Overall completion \(OfficeFormat.decimal(dashboard.overall.completionPercent, digits: 1))% (time elapsed \(OfficeFormat.decimal(dashboard.elapsedPercent, digits: 1))%), invested \(OfficeFormat.money(yi: dashboard.investmentCompleted, lang))"))
    }
}
