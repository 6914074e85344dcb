import Foundation
import TallyCore
import TallyPresentation
import TallyWire

/// An error as a user reads it: one message and the exit code it leads to. Every failure of a
/// command becomes one of these before it is printed; a Swift dump is never shown.
struct CLIError: Error, CustomStringConvertible, Sendable {
    var status: ExitStatus
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }

    /// Converts any error into what `tally` prints, in the user's language.
    static func from(_ error: any Error, lang: Language) -> CLIError {
        switch error {
        case let error as CLIError:
            return error
        case let error as RPCError:
            return from(rpc: error, lang: lang)
        default:
            let text = String(describing: error)
            return CLIError(.database, lang.pick(zh: "数据库错误：\(text)", en: "database error: \(text)"))
        }
    }

    /// Maps a status from the server (or the client runtime) to a message and an exit code.
    static func from(rpc error: RPCError, lang: Language) -> CLIError {
        // The server already said it in `lang`; this renders what the client runtime said itself.
        let message = lang.says(error.message)
        switch error.code {
        case .unavailable, .deadlineExceeded:
            return CLIError(.unreachable, lang.unreachable(error.message))
        case .unauthenticated:
            return CLIError(.auth, lang.pick(zh: "认证失败（令牌缺失、错误或已吊销）：\(message)", en: "authentication failed: \(message)"))
        case .permissionDenied:
            return CLIError(.auth, lang.pick(zh: "权限不足：\(message)", en: message.hasPrefix("permission denied") ? message : "permission denied: \(message)"))
        case .notFound:
            return CLIError(.server, lang.pick(zh: "未找到：\(message)", en: "not found: \(message)"))
        case .failedPrecondition, .aborted:
            return CLIError(.server, lang.pick(zh: "冲突：\(message)", en: "conflict: \(message)"))
        case .invalidArgument, .outOfRange:
            return CLIError(.server, lang.pick(zh: "服务器拒绝：\(message)", en: "rejected: \(message)"))
        default:
            return CLIError(.server, lang.pick(zh: "服务器错误（\(error.code.name)）：\(message)", en: "server error (\(error.code.name)): \(message)"))
        }
    }
}
