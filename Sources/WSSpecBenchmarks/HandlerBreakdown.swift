// TestConnection's calls default their source location with a Testing macro.
import Testing
import WebSocketCore
import WebSocketServer
import WebSocketTesting

/// Where the in-process handler round trip spends its time, step by step (microseconds per iteration):
/// a diagnostic for work on `HandlerBenchmark`'s target, not part of the default run.
enum HandlerBreakdown {
    static func run() async throws {
        let clock = ContinuousClock()
        let echo = HandlerBenchmark.router()
        let n = 3000
        var t = clock.measure { for _ in 0..<n { _ = TestServer(router: echo) } }
        print("TestServer()", t.seconds / Double(n) * 1e6)
        t = try await clock.measure {
            for _ in 0..<n {
                let s = TestServer(router: echo)
                _ = try await s.connect("/echo")
            }
        }
        print("+connect", t.seconds / Double(n) * 1e6)
        t = try await clock.measure {
            for _ in 0..<n {
                let s = TestServer(router: echo)
                let c = try await s.connect("/echo")
                try await c.send(text: "x")
            }
        }
        print("+send", t.seconds / Double(n) * 1e6)
        t = try await clock.measure {
            for _ in 0..<n {
                let s = TestServer(router: echo)
                let c = try await s.connect("/echo")
                try await c.send(text: "x")
                _ = try await c.receive()
            }
        }
        print("+receive", t.seconds / Double(n) * 1e6)
        t = try await clock.measure {
            for _ in 0..<n {
                let s = TestServer(router: echo)
                let c = try await s.connect("/echo")
                try await c.send(text: "x")
                _ = try await c.receive()
                try await c.close()
            }
        }
        print("+close", t.seconds / Double(n) * 1e6)
        var keep: [TestServer] = []
        keep.reserveCapacity(n)
        t = try await clock.measure {
            for _ in 0..<n {
                let s = TestServer(router: echo)
                _ = try await s.connect("/echo")
                keep.append(s)
            }
        }
        print("connect without deinit", t.seconds / Double(n) * 1e6)
        t = clock.measure { keep = [] }
        print("deinit of a connected server", t.seconds / Double(n) * 1e6)
        let s1 = TestServer(router: echo)
        let c1 = try await s1.connect("/echo")
        t = try await clock.measure {
            for _ in 0..<n {
                try await c1.send(text: "x")
                _ = try await c1.receive()
            }
        }
        print("send+receive on one connection", t.seconds / Double(n) * 1e6)
        let sim = TestServer(router: echo).simulation
        t = try clock.measure { for _ in 0..<n { _ = try sim.runTask { 1 } } }
        print("empty runTask", t.seconds / Double(n) * 1e6)
        let request = ClientHandshakeRequest(target: "/echo", host: "127.0.0.1", nonce: Array(0..<16))
        let bytes = request.serialize()
        t = clock.measure { for _ in 0..<n { _ = ServerHandshake().respond(toRequestBytes: bytes) } }
        print("server handshake", t.seconds / Double(n) * 1e6)
    }
}
