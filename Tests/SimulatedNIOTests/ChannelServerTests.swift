import NIOCore
import SimulatedNIO
import Synchronization
import Testing
import WebSocketCore
import WebSocketTesting
import WireSim

/// An application written on NIO's channel API, hosted in-process: its handlers run on the simulation's event
/// loop, its timers on virtual time, and `TestServer.request` reads what it writes.
@Suite("SimulatedNIO: NIO channel handlers on the simulated network")
struct ChannelServerTests {
    /// Answers any request after `delay` (an event-loop timer) with a chunked body cut into `chunks` pieces.
    final class DelayedChunkedAnswer: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let delay: TimeAmount
        let chunks: [String]
        private var answered = false

        init(delay: TimeAmount, chunks: [String]) {
            self.delay = delay
            self.chunks = chunks
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered else { return }
            answered = true
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let chunks = chunks
            context.eventLoop.scheduleTask(in: delay) {
                let context = bound.value
                var text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                for chunk in chunks { text += String(chunk.utf8.count, radix: 16) + ";ext=1\r\n" + chunk + "\r\n" }
                text += "0\r\n\r\n"
                context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: text)), promise: nil)
                context.close(promise: nil)
            }
        }
    }

    static func server(delay: TimeAmount, chunks: [String]) -> TestServer {
        TestServer(
            application: ChannelServer<Void>(
                setUp: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DelayedChunkedAnswer(delay: delay, chunks: chunks))
                    }
                },
                handle: { _, _ in }))
    }

    @Test func timersOfTheEventLoopFollowVirtualTime() async throws {
        let server = Self.server(delay: .seconds(30), chunks: ["hello, ", "world"])
        let response = try await server.request("/", timeout: .seconds(60))
        #expect(response.status == 200)
        #expect(response.bodyText == "hello, world")
        #expect(server.now == .seconds(30)) // 30 virtual seconds, no real wait
    }

    @Test func aResponseThatComesTooLateIsATimeoutNotAHang() async throws {
        let server = Self.server(delay: .seconds(30), chunks: ["late"])
        await #expect(throws: TestHTTPError.timedOut(after: .seconds(10))) {
            _ = try await server.request("/", timeout: .seconds(10))
        }
    }

    @Test func aBodyOverTheLimitIsANamedError() async throws {
        let server = Self.server(delay: .zero, chunks: [String(repeating: "x", count: 2048)])
        await #expect(throws: TestHTTPError.bodyTooLarge(limit: 1024)) {
            _ = try await server.request("/", bodyLimit: 1024)
        }
    }

    @Test func aDeadlineFromNIOsClockRunsThatMuchLaterInVirtualTime() {
        let simulation = Simulation(seed: 0)
        let loop = SimulationEventLoop(simulation: simulation)
        // Virtual time first runs far ahead of the real clock, as in any test that advances time.
        simulation.schedule(after: .seconds(100)) {}
        _ = simulation.run()
        // websocket-kit's form of a timer: a deadline computed from NIO's (real) clock.
        _ = loop.scheduleTask(deadline: .now() + .seconds(10)) {}
        _ = simulation.run()
        let seconds = Double(simulation.now.nanoseconds) / 1e9
        #expect(seconds > 109.9 && seconds <= 110, "fired at \(seconds) s")
        // A deadline already past runs at once; the end of NIO's time is scheduled without trapping.
        _ = loop.scheduleTask(deadline: .uptimeNanoseconds(0)) {}
        let never = loop.scheduleTask(deadline: .distantFuture) {}
        _ = simulation.run(until: simulation.now.advanced(by: .seconds(1)))
        #expect(Double(simulation.now.nanoseconds) / 1e9 <= 111)
        never.cancel()
        simulation.run(until: simulation.now) // the cancel, posted from this thread, runs
        simulation.discardPendingEvents() // the cancelled timer's entry still holds the simulation
    }

    @Test func aTimerStillSetWhenTheSimulationIsDiscardedFailsItsPromiseInsteadOfLeakingIt() {
        let simulation = Simulation(seed: 0)
        let loop = SimulationEventLoop(simulation: simulation)
        let outcome = Mutex<String>("unsettled")
        simulation.post {
            // A timer whose failure sets another: both must be settled (NIO traps on a promise left unfulfilled).
            loop.scheduleTask(in: .seconds(10)) {}.futureResult.whenFailure { error in
                outcome.withLock { $0 = "\(error)" }
                loop.scheduleTask(in: .seconds(10)) {}.futureResult.whenComplete { _ in outcome.withLock { $0 += ", then the second" } }
            }
        }
        simulation.run(until: simulation.now.advanced(by: .seconds(1)))
        simulation.discardPendingEvents()
        #expect(outcome.withLock { $0 } == "\(EventLoopError.shutdown), then the second")
    }

    @Test func aChunkedBodyReadOneByteAtATimeIsTheSame() async throws {
        let chunks = (0..<50).map { "chunk \($0) " }
        let server = TestServer(
            link: .everyByte,
            application: ChannelServer<Void>(
                setUp: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DelayedChunkedAnswer(delay: .zero, chunks: chunks))
                    }
                },
                handle: { _, _ in }))
        let response = try await server.request("/")
        #expect(response.bodyText == chunks.joined())
    }
}
