import Synchronization
import WebSocketRoutes

/// What a handler saw, in order, for tests to compare.
final class Recorder: Sendable {
    private let entries = Mutex<[String]>([])
    func add(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

/// Records every callback; echoes text with a prefix; throws on "fail"; closes on "close".
struct RecordingHandler: WebSocketHandler {
    let recorder: Recorder

    func onOpen(_ connection: WebSocketConnection) async throws { recorder.add("open \(connection.request.path)") }

    func onMessage(_ message: WebSocketMessage?, _ connection: WebSocketConnection) async throws -> WebSocketMessage? {
        recorder.add("message \(message.map(String.init(describing:)) ?? "nil")")
        switch message {
        case .text("fail"): throw HandlerFailure()
        case .text("close"):
            try connection.close(code: CloseCode(4000), reason: "asked to")
            return nil
        case .text(let text): return .text("echo \(text)")
        case .binary(let bytes): return .binary(bytes)
        case nil: return .text("hello")
        }
    }

    func onError(_ error: any Error, _ connection: WebSocketConnection) async { recorder.add("error \(error)") }

    func onClose(_ closure: ConnectionClosure, _ connection: WebSocketConnection) async {
        recorder.add("close \(closure.code.rawValue) clean=\(closure.wasClean)")
    }
}

struct HandlerFailure: Error, CustomStringConvertible {
    var description: String { "handler failure" }
}
