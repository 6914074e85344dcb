import Hummingbird
import Logging
import TallyCore
import TallyWire

/// The web dashboard's session cookie: only the id of a server-side session (``WebSessions``),
/// HttpOnly (the page's script never sees it), SameSite=Strict (other sites cannot send it), Secure
/// when the side door serves TLS, and expiring with the session. `/login` takes a central or admin
/// token once; a department token is refused.
enum SessionCookie {
    static let name = "tally_session"

    /// The cookie that carries a new session's id for the session's lifetime.
    static func start(id: String, lifetime: Duration, secure: Bool) -> Cookie {
        Cookie(name: name, value: id, maxAge: Int(lifetime.components.seconds), path: "/", secure: secure,
               httpOnly: true, sameSite: .strict)
    }

    /// The cookie that ends it in the browser (the server has forgotten the session already).
    static func end(secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// Why a request may not see the dashboard.
    enum Refusal: Error {
        case noSession
        case ended
        case rejected(String)
        case departmentRole
        case serverDown
    }

    /// A request whose session is live and whose credential still holds.
    struct Admitted: Sendable {
        var sessionID: String
        var principal: Principal
        var view: OperatorView
    }

    /// Checks a token at `/login`: central and admin roles only. Returns the principal and the
    /// handle the session keeps.
    static func admit(token: String, view: OperatorView?, peer: String, logger: Logger)
        async -> Result<(principal: Principal, handle: CredentialHandle), Refusal>
    {
        guard let view else { return .failure(.serverDown) }
        do {
            let opened = try await view.session(token: token, peer: peer, logger: logger)
            guard opened.principal.role == .central || opened.principal.role == .admin else { return .failure(.departmentRole) }
            return .success(opened)
        } catch let error as RPCError where error.code == .unauthenticated {
            return .failure(.rejected(error.message))
        } catch {
            return .failure(.serverDown)
        }
    }

    /// The session of a request's cookie, its credential checked again (a revoked one ends the
    /// session here, on this very request).
    static func session(of request: Request, sessions: WebSessions, view: OperatorView?, peer: String, logger: Logger)
        async -> Result<Admitted, Refusal>
    {
        guard let id = request.cookies[name]?.value, !id.isEmpty else { return .failure(.noSession) }
        guard let session = sessions.find(id) else { return .failure(.ended) }
        guard let view else { return .failure(.serverDown) }
        do {
            let principal = try await view.recheck(session.handle, peer: peer, logger: logger)
            return .success(Admitted(sessionID: id, principal: principal, view: view))
        } catch let error as RPCError where error.code == .unauthenticated {
            sessions.end(id)
            return .failure(.rejected(error.message))
        } catch {
            return .failure(.serverDown)  // the database is away on a cache miss: the session stays
        }
    }
}
