import ArgumentParser
import TallyClient
import TallyMessages
import TallyPresentation
import TallyWire

/// Flags of commands that talk to a Tally server: the settings file and language, then the
/// server, token and TLS.
struct ConnectionOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Server address HOST:PORT, or tallys://HOST:PORT for TLS (default 127.0.0.1:7411). Env: TALLY_SERVER.")
    var server: String?

    @Option(name: .long, help: "Credential token (printed once by `tally credential create`). Env: TALLY_TOKEN.")
    var token: String?

    @OptionGroup var tls: TLSClientOptions

    /// The settings of this invocation with these flags.
    func settings() throws -> Settings {
        try global.settings(server: server, token: token)
    }

    /// Resolves the settings, runs `body` with an authenticated client, and returns its answer with
    /// the language to print it in: the common shape of a command that asks the server one thing.
    func call<T: Sendable>(_ body: (TallyClient) async throws -> T) async throws -> (T, Language) {
        let settings = try settings()
        return (try await withAuthenticatedClient(settings, body), settings.language)
    }

    /// Like `call`, with the departments' names by code, to print in place of codes: read from the
    /// plan (central and admin), or for a department token from its own listing (itself and the
    /// departments its projects name). Names are a nicety: without them codes are printed.
    func callNaming<T: Sendable>(_ body: (TallyClient) async throws -> T) async throws
        -> (answer: T, names: [String: String], lang: Language)
    {
        let ((answer, names), lang) = try await call { client in (try await body(client), await Self.departmentNames(client)) }
        return (answer, names, lang)
    }

    /// The departments' names by code that this credential may read; empty when it may read none.
    private static func departmentNames(_ client: TallyClient) async -> [String: String] {
        let departments: [Tally_V1_Department]
        do {
            departments = try await client.listPlan().departments
        } catch let error as RPCError where error.code == .permissionDenied {
            guard let mine = try? await client.listMine() else { return [:] }
            departments = [mine.department] + mine.partners
        } catch {
            return [:]
        }
        return Dictionary(departments.map { ($0.code, $0.name) }, uniquingKeysWith: { $1 })
    }

    /// Makes a client from the resolved settings.
    func client(_ settings: Settings) throws -> TallyClient {
        let text = settings.server.value ?? "127.0.0.1:7411"
        guard let endpoint = ServerEndpoint(parsing: text) else {
            throw CLIError(.usage, settings.language.pick(zh: "服务器地址无效：\(text)（应为 HOST:PORT 或 tallys://HOST:PORT）", en: "invalid server address `\(text)` (expected HOST:PORT or tallys://HOST:PORT)"))
        }
        let address = endpoint.address
        return TallyClient(host: address.host, port: address.port, token: settings.token.value,
                           security: try tls.security(for: endpoint, settings),
                           language: settings.language.pick(zh: "zh", en: "en"))
    }

    /// Like `client`, but fails with a clear message when no token is configured.
    func authenticatedClient(_ settings: Settings) throws -> TallyClient {
        guard settings.token.value != nil else {
            throw CLIError(.auth, settings.language.pick(
                zh: "缺少令牌：请用 --token、TALLY_TOKEN 或配置文件 token = ... 提供（由 tally credential create 生成）",
                en: "no token: give --token, TALLY_TOKEN or `token = ...` in the config file (made by `tally credential create`)"))
        }
        return try client(settings)
    }

    /// Runs `body` with an authenticated client, closes it, and turns a failure into the user's message.
    func withAuthenticatedClient<T: Sendable>(_ settings: Settings, _ body: (TallyClient) async throws -> T) async throws -> T {
        let client = try authenticatedClient(settings)
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch {
            await client.close()
            throw CLIError.from(error, lang: settings.language)
        }
    }
}

/// Flags of commands that use the database directly (serve, migrate, seed, credential, demo).
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "PostgreSQL URL or conninfo; without it the embedded PostgreSQL under the home is used. Env: TALLY_DATABASE_URL.")
    var database: String?

    @Option(name: .long, help: "Home of the embedded PostgreSQL (default $XDG_DATA_HOME/tally or ~/.local/share/tally). Env: TALLY_HOME.")
    var home: String?

    /// The settings of this invocation with these flags.
    func settings(_ global: GlobalOptions) throws -> Settings {
        try global.settings(database: database, home: home)
    }
}
