import Testing
import WebSocketCore

/// The handshake-to-connection steps and keepalive, written once in the core for every role and host.
@Suite("Upgrades and keepalive")
struct UpgradeAndKeepaliveTests {
    static let request = ClientHandshakeRequest(target: "/", host: "127.0.0.1", nonce: Array(repeating: 9, count: 16))

    /// A client frame masked with a zero key, so that the payload reads as sent.
    static func clientText(_ text: String) -> [UInt8] {
        try! FrameSerializer.serialize(Frame(opcode: .text, maskKey: .zero, payload: Array(text.utf8)))
    }

    @Test func aServerUpgradeTakesTheRequestInPiecesAndKeepsWhatFollowsIt() {
        var upgrade = ServerUpgrade(maxHeadSize: 16 * 1024)
        let bytes = Self.request.serialize() + Self.clientText("right behind the request")
        let decide = ServerHandshake().respond(to:)
        guard case .needMore = upgrade.receive(Array(bytes.prefix(20)), configuration: .init(), decide: decide) else {
            Issue.record("a partial head upgraded")
            return
        }
        guard case .upgraded(let response, let connection, _) = upgrade.receive(Array(bytes.dropFirst(20)), configuration: .init(), decide: decide)
        else {
            Issue.record("a valid request was not upgraded")
            return
        }
        #expect(String(decoding: response, as: UTF8.self).hasPrefix("HTTP/1.1 101 "))
        #expect(connection.nextEvent() == .text("right behind the request"))
    }

    @Test func aServerUpgradeRefusesWhatItCannotRead() {
        var tooLarge = ServerUpgrade(maxHeadSize: 64)
        guard case .refused(let response) = tooLarge.receive(Self.request.serialize(), configuration: .init(), decide: ServerHandshake().respond(to:))
        else {
            Issue.record("an oversized head was not refused")
            return
        }
        #expect(String(decoding: response, as: UTF8.self).hasPrefix("HTTP/1.1 431 "))
        var garbage = ServerUpgrade(maxHeadSize: 1024)
        guard
            case .refused(let notHTTP) = garbage.receive(
                Array("\u{1}\u{2}\r\n\r\n".utf8), configuration: .init(), decide: ServerHandshake().respond(to:))
        else {
            Issue.record("garbage was not refused")
            return
        }
        #expect(String(decoding: notHTTP, as: UTF8.self).hasPrefix("HTTP/1.1 400 "))
        var guarded = ServerUpgrade(maxHeadSize: 1024)
        guard
            case .refused(let forbidden) = guarded.receive(
                Self.request.serialize(), configuration: .init(),
                decide: { _ in ServerHandshake.refusal(status: 403, reason: "no") })
        else {
            Issue.record("the caller's refusal was not kept")
            return
        }
        #expect(String(decoding: forbidden, as: UTF8.self).hasPrefix("HTTP/1.1 403 "))
    }

    @Test func aClientUpgradeValidatesThe101AndKeepsWhatFollowsIt() {
        guard case .accept(let response, _) = ServerHandshake().respond(to: Self.request.head) else {
            Issue.record("the server refused a valid request")
            return
        }
        let echo = try! FrameSerializer.serialize(Frame(opcode: .text, payload: Array("first".utf8)))
        var upgrade = ClientUpgrade(request: Self.request)
        guard
            case .upgraded(_, _, let connection) = upgrade.receive(
                HTTPSerializer.serialize(response) + echo,
                configuration: .init(), maskKeys: FixedMaskKeySource(.zero))
        else {
            Issue.record("a valid 101 did not open the connection")
            return
        }
        #expect(connection.nextEvent() == .text("first"))

        var forged = response
        forged.headers.replaceOrAdd(name: "Sec-WebSocket-Accept", value: "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        var wrongKey = ClientUpgrade(request: Self.request)
        guard
            case .invalidUpgrade(_, .wrongAccept) = wrongKey.receive(
                HTTPSerializer.serialize(forged), configuration: .init(),
                maskKeys: FixedMaskKeySource(.zero))
        else {
            Issue.record("a wrong Sec-WebSocket-Accept was taken")
            return
        }
        var refused = ClientUpgrade(request: Self.request)
        guard
            case .refused(let answer) = refused.receive(
                Array("HTTP/1.1 426 Upgrade Required\r\nContent-Length: 2\r\n\r\nno".utf8),
                configuration: .init(), maskKeys: FixedMaskKeySource(.zero))
        else {
            Issue.record("a refusal was not reported as one")
            return
        }
        #expect(answer.response.status == 426 && answer.rest == Array("no".utf8))
        #expect(answer.head == Array("HTTP/1.1 426 Upgrade Required\r\nContent-Length: 2\r\n\r\n".utf8))
        var garbage = ClientUpgrade(request: Self.request)
        guard
            case .notHTTP(_, let head) = garbage.receive(
                Array("\u{1}\u{2}garbage\r\n\r\n".utf8), configuration: .init(),
                maskKeys: FixedMaskKeySource(.zero))
        else {
            Issue.record("garbage was taken for a response")
            return
        }
        #expect(head != nil)
    }

    @Test func keepalivePingsAndGivesUpOnASilentPeer() throws {
        var keepalive = Keepalive(interval: .seconds(5), timeout: .seconds(2), closeCode: .policyViolation)
        #expect(keepalive.start() == [.startTimer(Keepalive.pingTimer, after: .seconds(5))])
        #expect(keepalive.peerIsAlive() == [])
        let firstPing = keepalive.fired(Keepalive.pingTimer)
        let ping = try #require(firstPing)
        #expect(ping.command == .ping(Array("keepalive 1".utf8)))
        #expect(ping.actions == [.startTimer(Keepalive.pongTimer, after: .seconds(2)), .startTimer(Keepalive.pingTimer, after: .seconds(5))])
        // Bytes from a busy peer push the pong deadline back.
        #expect(keepalive.peerIsAlive() == [.startTimer(Keepalive.pongTimer, after: .seconds(2))])
        #expect(keepalive.pongReceived() == [.cancelTimer(Keepalive.pongTimer)])
        #expect(keepalive.fired(Keepalive.pongTimer)?.command == nil) // late: the pong came
        _ = keepalive.fired(Keepalive.pingTimer)
        let silence = keepalive.fired(Keepalive.pongTimer)
        let giveUp = try #require(silence)
        #expect(giveUp.actions == [.cancelTimer(Keepalive.pingTimer)])
        guard case .close(.policyViolation, _) = giveUp.command else {
            Issue.record("a silent peer was not given up on: \(String(describing: giveUp.command))")
            return
        }
        #expect(keepalive.fired(ServerTimer(rawValue: "close timeout")) == nil)
    }
}
