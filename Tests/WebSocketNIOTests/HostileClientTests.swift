import Foundation
import NIOConcurrencyHelpers
import ReferenceServer
import Testing
import WebSocketCore
import WebSocketNIO
import WebSocketServer
import WebSocketTesting

#if canImport(Glibc)
    import Glibc
#endif

extension LiveTests {
    /// The mirror of the hostile servers: clients that try to hold a server's connections, memory or event loop.
    /// Each runs against the reference echo server and against an application's router on the same
    /// `SessionServer`; in each, the server stays up, a well-behaved client is still served within its deadline,
    /// and the hostile connection is bounded and then dropped. (`scripts/bench-hostile-clients.sh` measures the
    /// memory of a release `wsspec serve` under the same clients.)
    @Suite("Hostile clients: the server stays up, serves others, and bounds what each client holds")
    struct HostileClientTests {
        enum Server: String, CaseIterable, CustomTestStringConvertible {
            case reference, router
            var testDescription: String { rawValue }
        }

        /// Short deadlines so that each case takes seconds; the output limit small so that it is reached at once.
        static var limits: ConnectionLimits {
            var limits = ConnectionLimits()
            limits.handshakeTimeout = .seconds(1)
            limits.idleTimeout = .seconds(1)
            limits.lingerTimeout = .milliseconds(500)
            limits.maxQueuedOutput = 256 << 10
            return limits
        }

        static func start(_ server: Server, limits: ConnectionLimits = limits) async throws -> SessionServer {
            switch server {
            case .reference:
                return try await SessionServer.referenceServer(EchoServerConfiguration(), limits: limits)
            case .router:
                var router = WebSocketRouter()
                router.configuration.permessageDeflate = PerMessageDeflatePolicy()
                router.ws("/") { message, _ in message }
                return try await SessionServer.start(router: router, limits: limits)
            }
        }

        /// A well-behaved client: connects, gets an echo and closes, `within` two seconds (by default). The time it
        /// took, or nil.
        static func probe(_ server: SessionServer, within limit: Duration = .seconds(2)) async -> Duration? {
            let clock = ContinuousClock()
            let began = clock.now
            guard let transport = try? await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(2)) else { return nil }
            let request = ClientHandshakeRequest(target: "/", host: "127.0.0.1:\(server.port)", nonce: Array(0..<16))
            var echoed = false
            if let client = try? await ClientSession.connect(
                over: transport, request: request, maskKeys: SeededMaskKeySource(seed: 1),
                timeout: limit)
            {
                try? await client.send(text: "probe")
                echoed = (try? await client.receive(timeout: limit)) == .text("probe")
                try? await client.close()
                _ = await client.receiveClosure(timeout: limit)
            }
            await transport.finish()
            let took = clock.now - began
            return echoed && took <= limit ? took : nil
        }

        /// Waits (polling, up to `timeout`) until the server holds no connection; whether it came to that.
        static func drained(_ server: SessionServer, within timeout: Duration) async throws -> Bool {
            let deadline = ContinuousClock.now + timeout
            while server.connectionCount > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            return server.connectionCount == 0
        }

        /// The close code of the first close frame in `bytes` (server frames are unmasked), if there is one.
        static func closeCode(in bytes: [UInt8]) -> UInt16? {
            var offset = 0
            while offset + 2 <= bytes.count {
                let opcode = bytes[offset] & 0x0F
                var length = Int(bytes[offset + 1] & 0x7F)
                var header = 2
                if length == 126, offset + 4 <= bytes.count {
                    length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
                    header = 4
                } else if length == 127, offset + 10 <= bytes.count {
                    length = bytes[(offset + 2)..<(offset + 10)].reduce(0) { $0 << 8 | Int($1) }
                    header = 10
                }
                if opcode == 0x8, offset + header + 2 <= bytes.count {
                    return UInt16(bytes[offset + header]) << 8 | UInt16(bytes[offset + header + 1])
                }
                offset += header + length
            }
            return nil
        }

        @Test(arguments: Server.allCases)
        func aRequestTrickledAByteAtATimeGets408AtTheHandshakeDeadline(server kind: Server) async throws {
            try await withServer({ try await Self.start(kind) }) { server in
                let client = try RawClient(port: server.port)
                let request = RawClient.upgradeRequest(port: server.port)
                let clock = ContinuousClock()
                let began = clock.now
                var answer: [UInt8]?
                var received: [UInt8] = []
                // Well under the request's length (a byte each 50 ms would take about 6 s): the deadline is 1 s.
                for byte in request {
                    client.writeSome([byte])
                    let (bytes, closed) = client.readSome(timeout: .milliseconds(50))
                    received += bytes
                    if closed {
                        answer = received
                        break
                    }
                }
                let took = clock.now - began
                #expect(
                    String(decoding: answer ?? [], as: UTF8.self).hasPrefix("HTTP/1.1 408 "),
                    "\(kind): \(answer.map { String(decoding: $0, as: UTF8.self) } ?? "still open")")
                #expect(took < .seconds(3), "\(kind): closed after \(took)")
                #expect(await Self.probe(server) != nil, "\(kind): a well-behaved client was not served")
            }
        }

        @Test(arguments: Server.allCases)
        func aThousandIdleConnectionsAreDroppedAtTheHandshakeDeadlineWhileOthersAreServed(server kind: Server) async throws {
            raiseOpenFileLimit(to: 4096)
            try await withServer({ try await Self.start(kind) }) { server in
                let idle = try (0..<1000).map { _ in try RawClient(port: server.port) }
                let served = await Self.probe(server)
                #expect(served != nil, "\(kind): a well-behaved client was not served beside 1000 idle connections")
                #expect(try await Self.drained(server, within: .seconds(5)), "\(kind): \(server.connectionCount) connections still open")
                // Each got the 408 (or, if it was refused past the cap, the 503) and the close.
                for client in idle.prefix(20) {
                    let answer = String(decoding: client.readUntilClosed(timeout: .seconds(1)) ?? [], as: UTF8.self)
                    #expect(answer.hasPrefix("HTTP/1.1 408 ") || answer.hasPrefix("HTTP/1.1 503 "), "\(kind): \(answer)")
                }
            }
        }

        @Test(arguments: Server.allCases)
        func aClientThatPingsWithoutReadingIsStoppedThenDropped(server kind: Server) async throws {
            try await withServer({ try await Self.start(kind) }) { server in
                let client = try RawClient(port: server.port)
                #expect(client.upgrade(port: server.port)?.hasPrefix("HTTP/1.1 101 ") == true)
                let pings = Array(repeating: RawClient.frame(opcode: 0x9, payload: Array(repeating: 0x70, count: 125)), count: 500).flatMap { $0 }
                let written = Self.writeUntilStalled(client, pings, cap: 256 << 20)
                // Kernel buffers on both sides (a few MiB each on loopback) plus the server's 256 KiB: without
                // back-pressure the server reads on, queueing pongs, and the client never stalls.
                #expect(written < 64 << 20, "\(kind): the server took \(written >> 20) MiB of pings without their pongs being read")
                #expect(await Self.probe(server) != nil, "\(kind): a well-behaved client was not served")
                #expect(try await Self.drained(server, within: .seconds(6)), "\(kind): the non-reading client is still connected")
            }
        }

        @Test(arguments: Server.allCases)
        func aClientThatHalfClosesWithoutReadingIsDropped(server kind: Server) async throws {
            try await withServer({ try await Self.start(kind) }) { server in
                let client = try RawClient(port: server.port)
                #expect(client.upgrade(port: server.port)?.hasPrefix("HTTP/1.1 101 ") == true)
                // Messages whose echoes it never reads, then its FIN.
                let message = RawClient.frame(opcode: 0x2, payload: Array(repeating: 0x42, count: 1 << 20))
                _ = Self.writeUntilStalled(client, message, cap: 32 << 20)
                client.halfClose()
                #expect(await Self.probe(server) != nil, "\(kind): a well-behaved client was not served")
                #expect(try await Self.drained(server, within: .seconds(6)), "\(kind): the half-closed client is still connected")
            }
        }

        @Test(arguments: Server.allCases)
        func aLengthOf2To63Minus1IsRefusedWithoutReservingIt(server kind: Server) async throws {
            try await withServer({ try await Self.start(kind) }) { server in
                let client = try RawClient(port: server.port)
                #expect(client.upgrade(port: server.port)?.hasPrefix("HTTP/1.1 101 ") == true)
                #expect(client.writeAll([0x82, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0] + Array(repeating: 0, count: 1024)))
                let answer = client.readUntilClosed(timeout: .seconds(3))
                #expect(answer != nil, "\(kind): the connection is still open")
                #expect(Self.closeCode(in: answer ?? []) == 1009, "\(kind): \(answer ?? [])")
                #expect(await Self.probe(server) != nil, "\(kind): a well-behaved client was not served")
            }
        }

        @Test(arguments: Server.allCases)
        func aDeflateBombStopsAtTheMessageLimit(server kind: Server) async throws {
            try await withServer({ try await Self.start(kind) }) { server in
                let transport = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(2))
                let request = ClientHandshakeRequest(
                    target: "/", host: "127.0.0.1:\(server.port)", nonce: Array(0..<16),
                    extensions: [ExtensionOffer(name: "permessage-deflate")])
                let client = try await ClientSession.connect(
                    over: transport, request: request, maskKeys: SeededMaskKeySource(seed: 1),
                    timeout: .seconds(2))
                #expect(client.negotiated.permessageDeflate != nil)
                // 64 MiB of zeros deflate to about 64 KiB; the server stops inflating at its 16 MiB message limit.
                try await client.send(binary: [UInt8](repeating: 0, count: 64 << 20))
                let closure = await client.receiveClosure(timeout: .seconds(5))
                #expect(closure != nil, "\(kind): the connection is still open")
                #expect(client.closeFrame?.code == .messageTooBig, "\(kind): \(String(describing: client.closeFrame))")
                await transport.finish()
                #expect(await Self.probe(server) != nil, "\(kind): a well-behaved client was not served")
            }
        }

        @Test(arguments: Server.allCases)
        func compressedMessagesHeldOpenOnManyConnectionsAreBoundedTogether(server kind: Server) async throws {
            var limits = Self.limits
            limits.maxMessageMemory = 8 << 20
            limits.idleTimeout = .seconds(30)
            try await withServer({ try await Self.start(kind, limits: limits) }) { server in
                // Eight connections, each with a message of 3 MiB of zeros in progress (3 KiB on the wire; the server has
                // inflated about 2 MiB of it, the rest waits for the message's end): some 16 MiB together.
                var held: [(client: ClientSession, transport: NIOTransport)] = []
                for seed in 0..<8 {
                    let transport = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(2))
                    let request = ClientHandshakeRequest(
                        target: "/", host: "127.0.0.1:\(server.port)", nonce: Array(0..<16),
                        extensions: [ExtensionOffer(name: "permessage-deflate")])
                    let client = try await ClientSession.connect(
                        over: transport, request: request,
                        maskKeys: SeededMaskKeySource(seed: UInt64(seed)), timeout: .seconds(2))
                    var configuration = Connection.Configuration()
                    configuration.permessageDeflate = client.negotiated.permessageDeflate
                    let encoder = Connection(role: .client, configuration: configuration, maskKeys: SeededMaskKeySource(seed: UInt64(seed)))
                    try encoder.send(
                        .binary, payload: [UInt8](repeating: 0, count: 3 << 20), fragmentSize: 512, compress: true,
                        emptyFinalFragment: true)
                    // All but the empty final fragment (6 bytes, masked): the message stays in progress.
                    await client.send(raw: Array(encoder.takeOutbound().dropLast(6)))
                    held.append((client, transport))
                }
                var refused = 0
                for (client, _) in held {
                    if let closure = await client.receiveClosure(timeout: .milliseconds(300)) {
                        #expect(client.closeFrame?.code == .tryAgainLater, "\(kind): \(closure)")
                        refused += 1
                    }
                }
                // 8 MiB hold three or four of them; the others get 1013 (Try Again Later).
                #expect(refused >= 3 && refused <= 6, "\(kind): \(refused) of 8 refused")
                #expect(server.messageMemory.usedBytes <= limits.maxMessageMemory)
                #expect(await Self.probe(server) != nil, "\(kind): a well-behaved client was not served")
                for (_, transport) in held { await transport.finish() }
                #expect(try await Self.drained(server, within: .seconds(3)))
                #expect(server.messageMemory.usedBytes == 0, "\(kind): \(server.messageMemory.usedBytes) bytes still charged")
            }
        }

        @Test(arguments: Server.allCases)
        func aFloodOfOneByteFragmentsIsAssembledAndOthersAreServed(server kind: Server) async throws {
            try await withServer({ try await Self.start(kind) }) { server in
                let client = try RawClient(port: server.port)
                #expect(client.upgrade(port: server.port)?.hasPrefix("HTTP/1.1 101 ") == true)
                let count = 30_000
                var flood = RawClient.frame(opcode: 0x1, fin: false, payload: [0x61])
                let continuation = RawClient.frame(opcode: 0x0, fin: false, payload: [0x61])
                flood.reserveCapacity(count * continuation.count)
                for _ in 1..<(count - 1) { flood += continuation }
                flood += RawClient.frame(opcode: 0x0, payload: [0x61])
                #expect(client.writeAll(flood, timeout: .seconds(10)))
                // Parsing the flood holds the event loop it shares with the probe for a few turns: under the
                // sanitizers, seconds (a release server answers within 200 ms: scripts/bench-hostile-clients.sh).
                #expect(await Self.probe(server, within: .seconds(8)) != nil, "\(kind): a well-behaved client was not served")
                // The echo: a 30 000-byte text message, whole.
                let echo = client.read(atLeast: 4 + count, timeout: .seconds(5))
                #expect(Array(echo.prefix(4)) == [0x81, 126, 0x75, 0x30], "\(kind): \(echo.prefix(4))")
                #expect(echo.count == 4 + count && echo.dropFirst(4).allSatisfy { $0 == 0x61 }, "\(kind): \(echo.count) bytes")
                #expect(client.writeAll(RawClient.frame(opcode: 0x8, payload: [0x03, 0xE8])))
                #expect(client.readUntilClosed(timeout: .seconds(3)) == [0x88, 0x02, 0x03, 0xE8])
            }
        }

        @Test(arguments: Server.allCases)
        func aSilentClientIsClosedWith1001AfterTheIdleTimeout(server kind: Server) async throws {
            try await withServer({ try await Self.start(kind) }) { server in
                let transport = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(2))
                let request = ClientHandshakeRequest(target: "/", host: "127.0.0.1:\(server.port)", nonce: Array(0..<16))
                let client = try await ClientSession.connect(
                    over: transport, request: request, maskKeys: SeededMaskKeySource(seed: 1),
                    timeout: .seconds(2))
                let closure = await client.receiveClosure(timeout: .seconds(4))
                #expect(closure?.wasClean == true, "\(kind): \(String(describing: closure))")
                #expect(client.closeFrame == ClosePayload(code: .goingAway, reason: "idle"), "\(kind): \(String(describing: client.closeFrame))")
                await transport.finish()
            }
        }

        @Test func aHandlerSendingToAClientThatDoesNotReadIsHeldBackThenReleased() async throws {
            var router = WebSocketRouter()
            let sent = NIOLockedValueBox(0)
            let ended = NIOLockedValueBox<WebSocketServerError?>(nil)
            router.ws("/firehose") { connection in
                let chunk = [UInt8](repeating: 0x46, count: 64 << 10)
                do throws(WebSocketServerError) {
                    for _ in 0..<1_000 {
                        try await connection.send(binary: chunk)
                        sent.withLockedValue { $0 += 1 }
                    }
                } catch {
                    ended.withLockedValue { $0 = error }
                }
            }
            try await withServer({ try await SessionServer.start(router: router, limits: Self.limits) }) { server in
                let client = try RawClient(port: server.port)
                #expect(client.upgrade(path: "/firehose", port: server.port)?.hasPrefix("HTTP/1.1 101 ") == true)
                // Not reading: once the socket buffers and the 256 KiB queue are full, sends wait. Without that the
                // handler would have queued all 64 MiB at once.
                try await Task.sleep(for: .milliseconds(500))
                let sentWhileStalled = sent.withLockedValue { $0 }
                // The server's send buffer (4 MiB at most on Linux), our 64 KiB one and its 256 KiB queue: about 70.
                #expect(sentWhileStalled < 200, "\(sentWhileStalled) of 1000 messages of 64 KiB queued for a client that reads nothing")
                // The idle timeout ends the connection; the waiting send is released and the next one throws.
                #expect(try await Self.drained(server, within: .seconds(6)))
                let deadline = ContinuousClock.now + .seconds(2)
                while ended.withLockedValue({ $0 }) == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                #expect(ended.withLockedValue { $0 } == .notOpen)
            }
        }

        @Test func unreadMessagesOfAllConnectionsAreBoundedTogether() async throws {
            var router = WebSocketRouter()
            router.ws("/unread") { connection in try await connection.sleep(for: .seconds(30)) }
            var limits = Self.limits
            limits.maxMessageMemory = 4 << 20
            limits.idleTimeout = .seconds(30)
            try await withServer({ try await SessionServer.start(router: router, limits: limits) }) { server in
                // Two connections whose handler never reads, each sent 3 MiB in 1 MiB messages: 6 MiB unread together.
                var closes: [CloseCode?] = []
                var transports: [NIOTransport] = []
                for seed in 0..<2 {
                    let transport = try await NIOTransport.connect(to: server.url(), tls: nil, timeout: .seconds(2))
                    let request = ClientHandshakeRequest(target: "/unread", host: "127.0.0.1:\(server.port)", nonce: Array(0..<16))
                    let client = try await ClientSession.connect(
                        over: transport, request: request,
                        maskKeys: SeededMaskKeySource(seed: UInt64(seed)), timeout: .seconds(2))
                    for _ in 0..<3 { try? await client.send(binary: [UInt8](repeating: 1, count: 1 << 20)) }
                    _ = await client.receiveClosure(timeout: .milliseconds(500))
                    closes.append(client.closeFrame?.code)
                    transports.append(transport)
                }
                for transport in transports { await transport.finish() }
                // The first fits; the second passes the 4 MiB and is closed with 1013.
                #expect(closes == [nil, .tryAgainLater], "\(closes)")
                #expect(server.messageMemory.usedBytes <= 4 << 20)
            }
        }

        /// Writes `chunk` again and again until the socket has taken nothing for half a second, or `cap` bytes went;
        /// how many bytes went.
        static func writeUntilStalled(_ client: RawClient, _ chunk: [UInt8], cap: Int) -> Int {
            var written = 0
            var offset = 0
            var lastProgress = ContinuousClock.now
            while written < cap, ContinuousClock.now - lastProgress < .milliseconds(500) {
                let count = client.writeSome(Array(chunk[offset...]))
                if count > 0 {
                    written += count
                    offset = (offset + count) % chunk.count
                    lastProgress = ContinuousClock.now
                } else {
                    usleep(1_000)
                }
            }
            return written
        }

        func raiseOpenFileLimit(to wanted: rlim_t) {
            var limit = rlimit()
            guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < wanted else { return }
            limit.rlim_cur = min(wanted, limit.rlim_max)
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }
}
