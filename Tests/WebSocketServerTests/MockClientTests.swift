import Testing
import WebSocketRoutes
import WebSocketTesting
import WireSim

@Suite("The mock client: raw frames, determinism, failures at the test's line")
struct MockClientTests {
    @Test func aReservedOpcodeFailsTheConnectionWithProtocolError() async throws {
        let server = TestServer { $0.ws("/ws") { message, _ in message } }
        let client = try await server.connect("/ws")
        try await client.send(frame: Frame(opcode: Opcode(rawValue: 3), payload: []))
        #expect(try await client.closeFrame()?.code == .protocolError)
    }

    @Test func fragmentsAreReassembledIntoOneMessage() async throws {
        let server = TestServer { $0.ws("/ws") { message, _ in message } }
        let client = try await server.connect("/ws")
        try await client.send(frame: Frame(fin: false, opcode: .text, payload: Array("frag".utf8)))
        try await client.ping([1])
        try await client.send(frame: Frame(fin: true, opcode: .continuation, payload: Array("ment".utf8)))
        #expect(try await client.receive() == .text("fragment"))
        #expect(client.pongsReceived == [[1]])
    }

    static func chatter(seed: UInt64) async throws -> String {
        let server = TestServer(seed: seed, link: .choppy) { router in
            router.ws("/ws", ping: .every(.seconds(1))) { message, connection in
                try await connection.sleep(for: .milliseconds(250))
                return message
            }
        }
        let client = try await server.connect("/ws")
        for index in 0..<20 { try await client.send(text: "message \(index)") }
        for index in 0..<20 { #expect(try await client.receive() == .text("message \(index)")) }
        try await client.close()
        return server.trace
    }

    @Test func theSameSeedGivesTheSameTrace() async throws {
        let first = try await Self.chatter(seed: 7)
        let second = try await Self.chatter(seed: 7)
        #expect(first == second)
        #expect(first.count > 1000)
        #expect(try await Self.chatter(seed: 8) != first) // The seed does reach the link and the masks.
    }

    @Test func aFailedReceivePointsAtTheTestsLine() async throws {
        let server = TestServer { $0.ws("/quiet", mode: .receiveOnly) { _, _ in nil } }
        let client = try await server.connect("/quiet")
        let line = #line + 2
        try await withKnownIssue {
            _ = try await client.receive(timeout: .seconds(1))
        } matching: { issue in
            // One issue, and its first line says what went wrong (no internal name ahead of it).
            issue.sourceLocation?.line == line && issue.sourceLocation?.fileID == #fileID
                && "\(issue)".split(separator: "\n").first?.contains("could not receive a message: nothing arrived within 1.0 seconds") == true
        }
    }

    @Test func receiveTextNamesWhatCameInstead() async throws {
        let server = TestServer { $0.ws("/ws") { message, _ in message } }
        let client = try await server.connect("/ws")
        try await client.send(binary: [1, 2])
        try await client.send(text: "plain")
        try await withKnownIssue {
            _ = try await client.receiveText()
        } matching: { issue in
            "\(issue)".split(separator: "\n").first?.contains("expected a text message, received binary (2 bytes)") == true
        }
        #expect(try await client.receiveText() == "plain")
    }

    @Test func anUnexpectedMessagePointsAtTheTestsLine() async throws {
        let server = TestServer { $0.ws("/ws") { message, _ in message } }
        let client = try await server.connect("/ws")
        try await client.send(text: "boo")
        let line = #line + 2
        await withKnownIssue {
            await client.expectNothing(for: .seconds(1))
        } matching: { issue in
            issue.sourceLocation?.line == line && "\(issue)".contains("boo")
        }
        // Reported, not consumed: the message is still the next one to receive, and order is kept behind it.
        try await client.send(text: "two")
        #expect(try await client.receive() == .text("boo"))
        #expect(try await client.receive() == .text("two"))
    }
}
