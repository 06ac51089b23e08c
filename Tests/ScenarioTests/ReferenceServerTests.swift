import ConformanceSuite
import ReferenceServer
import Testing
import WebSocketCore

@testable import Scenario

@Suite("The catalog against the reference echo server")
struct ReferenceServerTests {
    static let suite = InProcessSuite.referenceServer(.withKeepalive)

    @Test func everyCaseIsOK() async {
        let results = await Self.suite.run(Catalog.protocolCases, jobs: 2)
        #expect(results.count == Catalog.protocolCases.count)
        for result in results {
            let scenario = Catalog.case(result.id)!
            // What the RFC leaves open is recorded, whatever a server does.
            #expect(result.verdict == (scenario.requirement == .may ? .informational : .ok), "\(result.summary)")
            #expect(result.closeVerdict == (scenario.closing == .informational ? .informational : .ok), "\(result.summary)")
        }
    }
}

@Suite("The reference server answers events in the order they arrived")
struct EchoServerOrderingTests {
    /// A client's frames, masked with a zero key so that the payload reads as sent.
    static func frame(_ opcode: Opcode, _ payload: [UInt8], rsv2: Bool = false) -> [UInt8] {
        try! FrameSerializer.serialize(Frame(rsv2: rsv2, opcode: opcode, maskKey: MaskKey(0, 0, 0, 0), payload: payload))
    }

    static func openServer() -> EchoServer {
        let server = EchoServer()
        let request = ClientHandshakeRequest(target: "/", host: "127.0.0.1", nonce: Array(repeating: 7, count: 16))
        _ = server.receive(request.serialize())
        return server
    }

    /// What the server wrote, as frames.
    static func written(_ actions: [ServerAction]) throws -> [Frame] {
        var parser = FrameParser(.init(senderRole: .server))
        for case .write(let bytes) in actions { parser.append(bytes) }
        var frames: [Frame] = []
        var header: FrameHeader?
        var payload: [UInt8] = []
        while let event = try parser.nextEvent() {
            switch event {
            case .header(let next, _):
                header = next
                payload = []
            case .payload(let chunk): payload += chunk
            case .frameEnd: frames.append(Frame(fin: header!.fin, opcode: header!.opcode, payload: payload))
            }
        }
        return frames
    }

    // A message and a protocol error in one read (as TCP delivers them): the echo comes before the close.
    @Test func echoPrecedesTheFailureOfALaterFrame() throws {
        let server = Self.openServer()
        let actions = server.receive(Self.frame(.text, Array("first".utf8)) + Self.frame(.text, Array("bad".utf8), rsv2: true))
        let frames = try Self.written(actions)
        #expect(frames.map(\.opcode) == [.text, .close])
        #expect(frames.first?.payload == Array("first".utf8))
        #expect(actions.last == .closeTransport)
    }

    @Test func echoPrecedesTheAnswerToACloseInTheSameRead() throws {
        let server = Self.openServer()
        let actions = server.receive(Self.frame(.text, Array("hello".utf8)) + Self.frame(.ping, [1]) + Self.frame(.close, [0x03, 0xE8]))
        #expect(try Self.written(actions).map(\.opcode) == [.text, .pong, .close])
    }
}

@Suite("The runner's answers never land inside a frame it is writing")
struct ReplyPlacementTests {
    // The server pings every 3 ms, so pongs fall due in the middle of frames that cases write in pieces
    // (byte-wise chops, partial raw writes followed by pauses): every answer must wait for a frame boundary.
    @Test func frequentServerPingsDisturbNoCase() async {
        var configuration = EchoServerConfiguration()
        configuration.pingInterval = .milliseconds(3)
        configuration.pongTimeout = .seconds(10)
        let cases = Catalog.protocolCases.filter { $0.id.section != 11 }
        let results = await InProcessSuite.referenceServer(configuration).run(cases, jobs: 2)
        for result in results { #expect(result.passed, "\(result.summary)") }
    }

    @Test func trackerFollowsFramesAcrossWrites() throws {
        var tracker = FrameBoundaryTracker()
        let frame = try FrameSerializer.serialize(Frame(opcode: .binary, maskKey: MaskKey(1, 2, 3, 4), payload: Array(repeating: 9, count: 300)))
        for (index, byte) in frame.enumerated() {
            #expect(tracker.atBoundary == (index == 0))
            tracker.consume([byte])
        }
        #expect(tracker.atBoundary)
        tracker.consume(frame + frame.prefix(3))
        #expect(!tracker.atBoundary)
    }
}
