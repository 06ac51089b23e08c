import Testing
import WebSocketRoutes
import WebSocketTesting

@Suite("Handler lifecycle: open, messages in order, error, close")
struct LifecycleTests {
    @Test func callbacksRunInOrderAndRepliesAreSent() async throws {
        let recorder = Recorder()
        let server = TestServer { $0.ws("/ws", handler: RecordingHandler(recorder: recorder)) }
        let client = try await server.connect("/ws")
        try await client.send(text: "one")
        try await client.send(binary: [1, 2, 3])
        #expect(try await client.receive() == .text("echo one"))
        #expect(try await client.receive() == .binary([1, 2, 3]))
        let closure = try await client.close(code: .normalClosure, reason: "done")
        #expect(closure.wasClean && closure.code == .normalClosure)
        await server.advanceTime(by: .zero) // The server's side finishes at the same instant.
        #expect(recorder.all == ["open /ws", "message text \"one\"", "message binary (3 bytes)", "close 1000 clean=true"])
    }

    @Test func runOnConnectCallsTheHandlerOnceWithNoMessage() async throws {
        let recorder = Recorder()
        let server = TestServer { $0.ws("/ws", runOnConnect: true, handler: RecordingHandler(recorder: recorder)) }
        let client = try await server.connect("/ws")
        #expect(try await client.receive() == .text("hello"))
        try await client.send(text: "x")
        #expect(try await client.receive() == .text("echo x"))
        #expect(recorder.all.prefix(3) == ["open /ws", "message nil", "message text \"x\""])
    }

    @Test func aThrowingHandlerReachesOnErrorAndClosesWith1011() async throws {
        let recorder = Recorder()
        let server = TestServer { $0.ws("/ws", handler: RecordingHandler(recorder: recorder)) }
        let client = try await server.connect("/ws")
        try await client.send(text: "fail")
        let frame = try await client.closeFrame()
        #expect(frame?.code == .internalServerError)
        #expect(frame?.reason == "internal error") // The error's own text stays on the server.
        await server.advanceTime(by: .zero)
        #expect(recorder.all == ["open /ws", "message text \"fail\"", "error handler failure", "close 1011 clean=true"])
    }

    @Test func aClientProtocolViolationReachesOnErrorWithItsOwnCode() async throws {
        let recorder = Recorder()
        let server = TestServer { $0.ws("/ws", handler: RecordingHandler(recorder: recorder)) }
        let client = try await server.connect("/ws")
        try await client.send(frame: Frame(opcode: .text, payload: [0xCE, 0xBA, 0xE1, 0xBD])) // Cut-off UTF-8.
        #expect(try await client.closeFrame()?.code == .invalidFramePayloadData)
        await server.advanceTime(by: .zero)
        try #require(recorder.all.count == 3)
        #expect(recorder.all[1] == "error invalid UTF-8 at byte 4")
        // The server failed the connection (§7.1.7): it closed TCP without waiting for the client's close
        // frame, so on its side the close code is 1006 (§7.1.5), whatever it sent.
        #expect(recorder.all[2] == "close 1006 clean=false")
    }

    @Test func aHandlerClosesWithItsCodeAndReason() async throws {
        let recorder = Recorder()
        let server = TestServer { $0.ws("/ws", handler: RecordingHandler(recorder: recorder)) }
        let client = try await server.connect("/ws")
        try await client.send(text: "close")
        let frame = try await client.closeFrame()
        #expect(frame == ClosePayload(code: CloseCode(4000), reason: "asked to"))
        #expect(client.closure?.wasClean == true)
        await server.advanceTime(by: .zero)
        #expect(recorder.all.last == "close 4000 clean=true")
    }

    @Test func theTransportLostWithoutACloseFrameIsAnAbnormalClosure() async throws {
        let recorder = Recorder()
        let server = TestServer { $0.ws("/ws", handler: RecordingHandler(recorder: recorder)) }
        let client = try await server.connect("/ws")
        try await client.send(text: "one")
        _ = try await client.receive()
        await client.abort()
        await server.advanceTime(by: .seconds(1))
        #expect(recorder.all.last == "close 1006 clean=false")
    }
}
