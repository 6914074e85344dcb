import ArgumentParser
import Foundation
import TallyCore
import TallyMessages
import TallyPresentation
import TallyWire

/// `tally credential create|list|revoke`: manages tokens, directly in the database.
struct CredentialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credential",
        abstract: "Create, list or revoke credentials (tokens), directly in the database.",
        discussion: """
        Example:
          tally credential create --name 隐珠街道填报员 --role department --department yinzhu
          tally credential list
          tally credential revoke CREDENTIAL_ID
        """,
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// Runs one credential-store operation against the resolved database.
    static func withStore<T>(_ settings: Settings, _ body: @escaping (CredentialStore) throws -> T) async throws -> T {
        let lang = settings.language
        return try await DatabaseTarget.with(settings, progress: ProgressReporter(enabled: true, lang: lang), mayCreate: false) { target in
            do {
                _ = try TallyDatabase.migrate(target.configuration)
                return try body(CredentialStore(configuration: target.configuration))
            } catch let error as CLIError {
                throw error
            } catch let error as RPCError {
                throw CLIError.from(rpc: error, lang: lang)   // unknown id: not found (2), not a database failure
            } catch {
                throw CLIError(.database, lang.pick(zh: "凭据操作失败：\(error)", en: "credential operation failed: \(error)"))
            }
        }
    }

    /// The label of a role.
    static func label(_ role: Tally_V1_Role, lang: Language) -> String {
        switch role {
        case .department: lang.pick(zh: "部门", en: "department")
        case .central: lang.pick(zh: "中心（总览）", en: "central")
        case .admin: lang.pick(zh: "管理员", en: "admin")
        default: "-"
        }
    }
}

extension CredentialCommand {
    /// `tally credential create`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a credential; its token is printed once and never again.",
            discussion: """
            Roles: department (reports for --department), central (reads everything), admin.

            Example:
              tally credential create --name 海洋高新区填报员 --role department \\
                  --department marine-hitech
              TOKEN=$(tally credential create --name ops --role central --token-only)
            """
        )

        @OptionGroup var global: GlobalOptions
        @OptionGroup var db: DatabaseOptions

        @Option(name: .long, help: "Who uses it, e.g. 海洋高新区填报员.")
        var name: String

        @Option(name: .long, help: "department, central or admin.")
        var role: String

        @Option(name: .long, help: "Department code, required for the department role (marine-hitech, yinzhu).")
        var department: String?

        @Flag(name: .long, help: "Print only the token (for scripts).")
        var tokenOnly = false

        func validate() throws {
            guard ["department", "central", "admin"].contains(role) else {
                throw ValidationError("--role must be department, central or admin")
            }
            if role == "department" && (department ?? "").isEmpty {
                throw ValidationError("--department is required with --role department")
            }
        }

        func run() async throws {
            let settings = try db.settings(global)
            let lang = settings.language
            let role: Role = switch self.role { case "admin": .admin; case "central": .central; default: .department }
            let (name, department) = (self.name, self.department)
            let made = try await CredentialCommand.withStore(settings) { store in
                try store.create(name: name, role: role, department: role == .department ? department : nil)
            }
            if tokenOnly {
                Console.out(made.token)
                return
            }
            let credential = made.credential
            Console.out(lang.pick(
                zh: "已创建凭据 \(credential.id)（\(credential.name)，角色：\(CredentialCommand.label(credential.role, lang: lang))\(credential.department.isEmpty ? "" : "，部门：\(credential.department)")）",
                en: "Created credential \(credential.id) (\(credential.name), role \(CredentialCommand.label(credential.role, lang: lang))\(credential.department.isEmpty ? "" : ", department \(credential.department)"))"))
            Console.out(lang.pick(zh: "令牌（只显示这一次，请妥善保存）：", en: "Token (shown only this once; keep it safe):"))
            Console.out("  \(made.token)")
            Console.out(lang.pick(zh: "使用：export TALLY_TOKEN=\(made.token)", en: "Use: export TALLY_TOKEN=\(made.token)"))
        }
    }

    /// `tally credential list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List credentials (never their tokens).",
            discussion: "Example:\n  tally credential list --lang en"
        )

        @OptionGroup var global: GlobalOptions
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let settings = try db.settings(global)
            let lang = settings.language
            let credentials = try await CredentialCommand.withStore(settings) { try $0.list() }
            let header = [lang.pick(zh: "编号", en: "ID"), lang.pick(zh: "名称", en: "Name"), lang.pick(zh: "角色", en: "Role"),
                          lang.pick(zh: "部门", en: "Department"), lang.pick(zh: "创建时间", en: "Created"), lang.pick(zh: "状态", en: "State")]
            let rows = credentials.map { c in
                [c.id, c.name, CredentialCommand.label(c.role, lang: lang), c.department.isEmpty ? "-" : c.department,
                 OfficeFormat.dateTime(unixMs: c.createdUnixMs),
                 c.revokedUnixMs > 0 ? lang.pick(zh: "已吊销", en: "revoked") : lang.pick(zh: "有效", en: "valid")]
            }
            Console.out(TextTable.render(header: header, rows: rows))
        }
    }

    /// `tally credential revoke`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a credential; calls with its token fail from then on.",
            discussion: "Example:\n  tally credential revoke 3f2a9c"
        )

        @OptionGroup var global: GlobalOptions
        @OptionGroup var db: DatabaseOptions

        @Argument(help: "The credential's id (see `tally credential list`).")
        var id: String

        func run() async throws {
            let settings = try db.settings(global)
            let lang = settings.language
            let id = self.id
            let credential = try await CredentialCommand.withStore(settings) { try $0.revoke(id: id) }
            Console.out(lang.pick(zh: "已吊销凭据 \(credential.id)（\(credential.name)）。", en: "Revoked credential \(credential.id) (\(credential.name))."))
        }
    }
}
