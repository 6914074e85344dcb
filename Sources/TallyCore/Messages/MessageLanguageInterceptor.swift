import TallyRPC
import TallyWire

/// Says every error status in the language the call's `accept-language` names, with the message's
/// code and arguments in the status metadata (see ``MessageRendering``). Lets calls through unchanged.
struct MessageLanguageInterceptor: ServerInterceptor {
    func intercept(_ context: ServerContext, access: MethodAccess) async throws -> ServerContext {
        context
    }

    func failed(_ error: any Error, context: ServerContext) -> any Error {
        guard let error = error as? RPCError else { return error }
        return MessageRendering.localized(error, in: MessageLanguage(metadata: context.metadata[MessageLanguage.metadataKey]))
    }
}
