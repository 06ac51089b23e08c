import ReferenceServer
import WebSocketCore

/// Deliberately hostile servers, as sans-IO sessions for `SessionServer` (loopback only). Each does one
/// nasty thing; the tests check that every case against it still ends with a verdict, in time.
enum HostileBehaviour: String, CaseIterable, Sendable, CustomStringConvertible {
    case neverAnswers
    case answersGarbage
    case announcesAnExabyteFrame
    case dripsOneBytePerSecond
    case closesMidHandshake
    case floods
    case resetsTheConnection
    case pingsWithoutEnd
    case injectsMarkup

    var description: String { rawValue }

    func makeSession() -> any ServerSession { HostileSession(self) }
}

/// Markup a report must escape wherever the peer's words appear. Run as script, it would leave
/// `data-pwned="1"` on the page, which the headless-browser check looks for.
let hostileMarkup =
    "<script>document.documentElement.setAttribute('data-pwned','1')</script>"
    + "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','1')\">\"onmouseover=\"alert(2)</textarea>"

/// A close reason that is markup and fits a control frame (123 bytes at most).
let hostileCloseReason = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','1')\">"

final class HostileSession: ServerSession {
    static let tick = ServerTimer(rawValue: "tick")
    private let behaviour: HostileBehaviour
    private var head = HTTPHeadParser()
    private var upgraded = false
    private var dripped = 0
    private var sentCloseWithMarkup = false

    init(_ behaviour: HostileBehaviour) { self.behaviour = behaviour }

    /// Sixteen 4 KiB binary frames, made once.
    static let floodChunk: [UInt8] = {
        let frame = (try? FrameSerializer.serialize(Frame(opcode: .binary, payload: Array(repeating: 0x5A, count: 4096)))) ?? []
        return Array(repeating: frame, count: 16).flatMap { $0 }
    }()

    /// A valid 101 for the request (with a hostile header when injecting markup).
    private func upgrade(_ request: [UInt8]) -> [UInt8] {
        var bytes = ServerHandshake(subprotocols: []).respond(toRequestBytes: request).bytes
        if behaviour == .injectsMarkup, bytes.count > 2 {
            bytes.removeLast(2)
            bytes += Array("X-Evil: \(hostileMarkup)\r\n\r\n".utf8)
        }
        return bytes
    }

    private func frame(_ opcode: Opcode, _ payload: [UInt8]) -> [UInt8] {
        (try? FrameSerializer.serialize(Frame(opcode: opcode, payload: payload))) ?? []
    }

    func receive(_ bytes: [UInt8]) -> [ServerAction] {
        if !upgraded {
            guard let request = try? head.append(bytes) else {
                return behaviour == .neverAnswers ? [] : [.closeTransport]
            }
            upgraded = true
            switch behaviour {
            case .neverAnswers:
                return []
            case .answersGarbage:
                return [.write(Array("\u{0}\u{FF}garbage, not HTTP\r\n\r\n".utf8)), .closeTransport]
            case .announcesAnExabyteFrame:
                // A binary frame announcing 2^63 - 1 bytes, and a few of them.
                return [
                    .write(upgrade(request.head) + [0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + Array(repeating: 0x41, count: 1024))
                ]
            case .dripsOneBytePerSecond:
                return [.startTimer(Self.tick, after: .seconds(1))]
            case .closesMidHandshake:
                return [.write(Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n".utf8)), .closeTransport]
            case .floods:
                return [.write(upgrade(request.head)), .startTimer(Self.tick, after: .zero)]
            case .resetsTheConnection:
                return [.write(upgrade(request.head)), .resetTransport]
            case .pingsWithoutEnd:
                return [.write(upgrade(request.head)), .startTimer(Self.tick, after: .zero)]
            case .injectsMarkup:
                return [.write(upgrade(request.head) + frame(.text, Array(hostileMarkup.utf8)))]
            }
        }
        switch behaviour {
        case .injectsMarkup where !sentCloseWithMarkup:
            sentCloseWithMarkup = true
            // A close reason that is markup (short enough to be a valid close frame).
            return [.write(frame(.close, [0x03, 0xE8] + Array(hostileCloseReason.utf8))), .closeTransport]
        default:
            return []
        }
    }

    func timerFired(_ timer: ServerTimer) -> [ServerAction] {
        switch behaviour {
        case .dripsOneBytePerSecond:
            let response = Array("HTTP/1.1 101 Switching Protocols\r\n".utf8)
            guard dripped < response.count else { return [] }
            dripped += 1
            return [.write([response[dripped - 1]]), .startTimer(Self.tick, after: .seconds(1))]
        case .floods:
            // 64 KiB of binary messages every millisecond, never reading.
            return [.write(HostileSession.floodChunk), .startTimer(Self.tick, after: .milliseconds(1))]
        case .pingsWithoutEnd:
            return [.write(frame(.ping, Array("again".utf8))), .startTimer(Self.tick, after: .milliseconds(1))]
        default:
            return []
        }
    }

    func transportEnded() -> [ServerAction] { [.cancelTimer(Self.tick)] }
}
