import Hummingbird
import Logging
import TallyCore

/// The web dashboard's session: `/login` takes a central or admin token once and keeps it in an
/// HttpOnly, SameSite=Strict cookie, so the page's script never sees it and other sites cannot send
/// it. Every request is authenticated afresh through the server's ``Authenticator`` (cached), so a
/// revoked credential ends its sessions at once, and sessions survive a server restart and work on
/// every server behind the load balancer. Department tokens are refused.
enum SessionCookie {
    static let name = "tally_session"

    /// The cookie that starts a session (a browser-session cookie: gone when the browser closes).
    static func start(token: String, secure: Bool) -> Cookie {
        Cookie(name: name, value: token, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The cookie that ends it.
    static func end(secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// Why a request may not see the dashboard.
    enum Refusal: Error {
        case noSession
        case rejected(String)
        case departmentRole
        case serverDown
    }

    /// Whether a token may open the dashboard: central and admin roles only.
    static func admit(token: String, view: OperatorView?, peer: String, logger: Logger) async -> Result<Principal, Refusal> {
        guard let view else { return .failure(.serverDown) }
        do {
            let principal = try await view.authenticate(token: token, peer: peer, logger: logger)
            guard principal.role == .central || principal.role == .admin else { return .failure(.departmentRole) }
            return .success(principal)
        } catch {
            return .failure(.rejected("\(error)"))
        }
    }

    /// The principal of the request's session cookie.
    static func principal(of request: Request, view: OperatorView?, peer: String, logger: Logger) async -> Result<Principal, Refusal> {
        guard let token = request.cookies[name]?.value, !token.isEmpty else { return .failure(.noSession) }
        return await admit(token: token, view: view, peer: peer, logger: logger)
    }
}
