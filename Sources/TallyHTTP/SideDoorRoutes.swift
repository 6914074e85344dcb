import Foundation
import Hummingbird
import Logging
import NIOCore
import TallyCore
import TallyMessages
import TallyPresentation

/// The side door's routes, each a few lines over ``OperatorView``.
struct SideDoorRoutes: Sendable {
    let configuration: HTTPSideDoorConfiguration
    let view: @Sendable () -> OperatorView?
    let sessions: WebSessions
    let connections: SideDoorConnections
    let logger: Logger

    func router() -> Router<SideDoorContext> {
        let router = Router(context: SideDoorContext.self)
        router.get("/") { _, _ in Self.respond(.ok, DashboardPage.html, type: "text/html; charset=utf-8", page: true) }
        router.get("/healthz") { _, _ in Self.respond(.ok, "ok\n") }
        router.get("/readyz") { _, _ in await readiness() }
        router.get("/metrics") { _, _ in
            let text = await OperatorMetrics.scrape(view(), httpConnections: connections.count)
            return Self.respond(.ok, text, type: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.post("/login") { request, context in try await login(request, context) }
        router.post("/logout") { request, _ in
            // The session ends on the server, not only in this browser.
            if let id = request.cookies[SessionCookie.name]?.value, !id.isEmpty { sessions.end(id) }
            var response = Self.respond(.ok, "{}", type: "application/json")
            response.setCookie(SessionCookie.end(secure: configuration.cookiesAreSecure))
            return response
        }
        router.get("/session") { request, context in
            try await authorized(request, context) { admitted in
                Self.respond(.ok, "{\"role\":\"\(admitted.principal.role.rawValue)\"}", type: "application/json")
            }
        }
        router.get("/campaigns") { request, context in
            try await authorized(request, context) { admitted in
                let (all, byDefault) = admitted.view.campaigns
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                let body = try encoder.encode(CampaignList(campaigns: all, default: byDefault))
                return Self.respond(.ok, String(decoding: body, as: UTF8.self), type: "application/json")
            }
        }
        router.get("/events") { request, context in
            try await authorized(request, context) { admitted in
                try await Self.withCampaign(request, admitted.view) { campaign in
                    EventStream.response(request, admitted, campaign: campaign, sessions: sessions)
                }
            }
        }
        for format in ExportFormat.allCases {
            router.get("/export.\(format.rawValue)") { request, context in
                try await authorized(request, context) { admitted in
                    try await Self.withCampaign(request, admitted.view) { campaign in
                        guard let dashboard = await admitted.view.dashboard(campaign: campaign) else {
                            return Self.problem(.notFound, "campaign \(campaign ?? ""): no such campaign")
                        }
                        let lang = request.uri.queryParameters["lang"].flatMap { Language(code: String($0)) } ?? .zh
                        return Self.respond(.ok, try format.render(dashboard, lang), type: format.contentType)
                    }
                }
            }
        }
        return router
    }

    /// Runs `body` for a request whose session is live and whose central or admin credential still
    /// holds; 401/403/503 otherwise.
    private func authorized(
        _ request: Request, _ context: SideDoorContext, _ body: (SessionCookie.Admitted) async throws -> Response
    ) async throws -> Response {
        switch await SessionCookie.session(of: request, sessions: sessions, view: view(), peer: context.peer, logger: logger) {
        case .success(let admitted): return try await body(admitted)
        case .failure(let refusal): return Self.refused(refusal)
        }
    }

    /// Runs `body` with the campaign `?campaign=` names (nil when none is: the server's default);
    /// 404 naming an unknown campaign and listing the campaigns there are.
    static func withCampaign(_ request: Request, _ view: OperatorView,
                             _ body: (String?) async throws -> Response) async throws -> Response {
        guard let named = request.uri.queryParameters["campaign"].map(String.init), !named.isEmpty else {
            return try await body(nil)
        }
        let known = view.campaigns.all
        guard known.contains(named) else {
            return problem(.notFound, "campaign \(named): no such campaign (campaigns: \(known.joined(separator: ", ")))")
        }
        return try await body(named)
    }

    private func login(_ request: Request, _ context: SideDoorContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 4_096)
        let form = URLComponents(string: "?" + String(buffer: body))?.queryItems ?? []
        guard let token = form.first(where: { $0.name == "token" })?.value?.trimmingCharacters(in: .whitespaces),
              !token.isEmpty else {
            return Self.problem(.badRequest, "token: missing (send token=<central or admin token> as a form)")
        }
        switch await SessionCookie.admit(token: token, view: view(), peer: context.peer, logger: logger) {
        case .success(let opened):
            let id = sessions.open(opened.principal, handle: opened.handle)
            logger.info("web dashboard login", metadata: [
                "credential": "\(opened.principal.credentialID)", "role": "\(opened.principal.role.rawValue)", "peer": "\(context.peer)",
            ])
            var response = Self.respond(.ok, "{\"role\":\"\(opened.principal.role.rawValue)\"}", type: "application/json")
            response.setCookie(SessionCookie.start(id: id, lifetime: sessions.lifetime, secure: configuration.cookiesAreSecure))
            return response
        case .failure(let refusal):
            return Self.refused(refusal)
        }
    }

    private func readiness() async -> Response {
        guard let view = view() else { return Self.problem(.serviceUnavailable, "server is starting or stopping") }
        do {
            let committed = try await view.committedSequence()
            let lag = committed - view.appliedSequence
            guard lag <= configuration.readyLag else {
                return Self.problem(.serviceUnavailable, "change feed \(lag) changes behind the log")
            }
            return Self.respond(.ok, "ready: sequence \(view.appliedSequence)\n")
        } catch {
            return Self.problem(.serviceUnavailable, "database unreachable: \(error)")
        }
    }

    static func refused(_ refusal: SessionCookie.Refusal) -> Response {
        switch refusal {
        case .noSession: problem(.unauthorized, "log in with a central or admin token")
        case .ended: problem(.unauthorized, "the session has ended (logged out, expired or the server restarted): log in again")
        case .rejected(let reason): problem(.unauthorized, reason)
        case .departmentRole: problem(.forbidden, "a department token cannot open the central dashboard")
        case .serverDown: problem(.serviceUnavailable, "server is starting or stopping")
        }
    }

    /// A JSON error body naming the problem.
    static func problem(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let quoted = (try? JSONEncoder().encode(["error": message])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return respond(status, quoted, type: "application/json")
    }

    static func respond(_ status: HTTPResponse.Status, _ text: String, type: String = "text/plain; charset=utf-8",
                        page: Bool = false) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        if page {
            // Everything the page needs is in it: no other origin, no framing.
            headers[.contentSecurityPolicy] = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                + "connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// `/campaigns`: what the page's campaign selector lists.
struct CampaignList: Encodable {
    var campaigns: [String]
    var `default`: String
}

/// The exports the side door serves, through the same code as `tally export`.
enum ExportFormat: String, CaseIterable, Sendable {
    case csv, json, html

    var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .json: "application/json"
        case .html: "text/html; charset=utf-8"
        }
    }

    func render(_ dashboard: Tally_V1_Dashboard, _ lang: Language) throws -> String {
        switch self {
        case .csv: TabularExport.csv(dashboard, lang: lang)
        case .json: try TabularExport.json(dashboard)
        case .html: HTMLExport(lang: lang).render(dashboard)
        }
    }
}
