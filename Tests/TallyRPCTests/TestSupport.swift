import Logging
import Synchronization
import SwiftProtobuf
import XCTest
@testable import TallyRPC
import TallyTestSupport
import TallyWire

typealias StringValue = Google_Protobuf_StringValue
typealias Int64Value = Google_Protobuf_Int64Value
typealias Empty = Google_Protobuf_Empty

let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

func string(_ value: String) -> StringValue {
    var message = StringValue()
    message.value = value
    return message
}

func int64(_ value: Int64) -> Int64Value {
    var message = Int64Value()
    message.value = value
    return message
}

/// A flag set from handlers and read by tests; `wait()` suspends until it is set (an event to
/// wait on, where a handler must hold still until the test lets it go).
final class Flag: Sendable {
    private let state = Mutex((isSet: false, waiters: [CheckedContinuation<Void, Never>]()))
    func set() {
        let waiters = state.withLock { state in
            state.isSet = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
    var isSet: Bool { state.withLock { $0.isSet } }
    func wait() async {
        await withCheckedContinuation { continuation in
            let alreadySet = state.withLock { state in
                if !state.isSet { state.waiters.append(continuation) }
                return state.isSet
            }
            if alreadySet { continuation.resume() }
        }
    }
}

/// A tiny lock-protected value for test bookkeeping.
final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func get() -> Value { mutex.withLock { $0 } }
    func set(_ value: Value) { mutex.withLock { $0 = value } }
    func update<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}

/// The test services: echo, streaming, sum, sleep.
enum TestService {
    static let echo = "/test.v1.Echo/Say"
    static let count = "/test.v1.Echo/Count"
    static let sum = "/test.v1.Echo/Sum"
    static let sleep = "/test.v1.Echo/Sleep"
    static let fail = "/test.v1.Echo/Fail"
    static let crash = "/test.v1.Echo/Crash"

    /// `cancelled` is set when a Sleep handler sees cancellation.
    static func router(cancelled: Flag = Flag(), started: Flag = Flag()) -> Router {
        let router = Router()
        router.registerUnary(echo, StringValue.self, StringValue.self) { request, _ in request }
        router.registerServerStreaming(count, Int64Value.self, Int64Value.self) { request, writer, _ in
            for index in 0..<request.value { try await writer.send(int64(index)) }
        }
        router.registerClientStreaming(sum, Int64Value.self, Int64Value.self) { requests, _ in
            var total: Int64 = 0
            for try await value in requests { total += value.value }
            return int64(total)
        }
        router.registerUnary(sleep, Int64Value.self, Empty.self) { request, _ in
            started.set()
            do {
                try await Task.sleep(for: .milliseconds(request.value))
            } catch {
                cancelled.set()
                throw error
            }
            return Empty()
        }
        router.registerUnary(fail, StringValue.self, Empty.self) { request, _ in
            throw RPCError(.notFound, request.value)
        }
        router.registerUnary(crash, Empty.self, Empty.self) { _, _ in
            struct Boom: Error {}
            throw Boom()
        }
        return router
    }
}

/// Starts a server on an ephemeral loopback port.
func startServer(
    router: Router = TestService.router(), configure: (inout ServerConfiguration) -> Void = { _ in }
) throws -> (RPCServer, Int) {
    var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
    configure(&configuration)
    let server = RPCServer(configuration: configuration, router: router, logger: quietLogger)
    let port = try server.start()
    return (server, port)
}

func makeClient(port: Int, host: String = "127.0.0.1", configure: (inout ClientConfiguration) -> Void = { _ in }) -> RPCClient {
    var configuration = ClientConfiguration(host: host, port: port)
    configure(&configuration)
    return RPCClient(configuration: configuration, logger: quietLogger)
}
