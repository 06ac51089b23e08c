import Logging
import NIOCore
import WebSocketCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hosts one sans-IO `ServerSession` on a NIO channel: bytes in, actions out, timers on the event loop.
/// It carries out `.closeTransport` the way the simulated network does (FIN, and the session learns at
/// once that the transport is gone), then lingers, discarding input, until the peer closes its side or
/// `lingerTimeout` passes, so that unread client bytes do not turn our close into a reset.
final class SessionChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let session: any ServerSession
    private let lingerTimeout: TimeAmount
    private let logger: Logger
    private var timers: [ServerTimer: Scheduled<Void>] = [:]
    private var context: ChannelHandlerContext?
    private var host: ChannelSessionHost?
    private var sessionEnded = false
    private var outputClosed = false
    private var lastWrite: EventLoopFuture<Void>?
    /// Back-pressure from the session: reads are held while it is paused.
    private var readingPaused = false
    private var readHeld = false

    init(session: any ServerSession, lingerTimeout: TimeAmount, logger: Logger) {
        self.session = session
        self.lingerTimeout = lingerTimeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let host = ChannelSessionHost(eventLoop: context.eventLoop, handler: self)
        self.host = host
        session.attach(host)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        endSession()
        host?.detach()
        host = nil
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard !sessionEnded, let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
        perform(session.receive(bytes))
    }

    func read(context: ChannelHandlerContext) {
        guard !readingPaused else { return readHeld = true }
        context.read()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent {
            // The peer will send nothing more: the session ends, and we close once our writes are out.
            endSession()
            closeAfterWrites()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        endSession()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["error": "\(error)"])
        endSession()
        context.close(promise: nil)
    }

    fileprivate func perform(_ actions: [ServerAction]) {
        guard let context else { return }
        for action in actions {
            switch action {
            case .write(let bytes):
                guard !outputClosed else { continue }
                let promise = context.eventLoop.makePromise(of: Void.self)
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: promise)
                lastWrite = promise.futureResult
            case .closeTransport:
                guard !outputClosed else { continue }
                outputClosed = true
                cancelTimers()
                context.close(mode: .output, promise: nil)
                context.eventLoop.assumeIsolated().scheduleTask(in: lingerTimeout) { [self] in self.context?.close(promise: nil) }
                context.eventLoop.assumeIsolated().execute { [self] in endSession() }
            case .resetTransport:
                outputClosed = true
                cancelTimers()
                // SO_LINGER with a zero timeout turns close() into a reset.
                let channel = context.channel
                if let options = channel as? any SocketOptionProvider {
                    options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
                } else {
                    channel.close(promise: nil)
                }
            case .startTimer(let timer, let delay):
                guard !sessionEnded else { continue }
                timers[timer]?.cancel()
                timers[timer] = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) { [self] in
                    timers[timer] = nil
                    if !sessionEnded { perform(session.timerFired(timer)) }
                }
            case .cancelTimer(let timer):
                timers.removeValue(forKey: timer)?.cancel()
            case .pauseReading:
                readingPaused = true
            case .resumeReading:
                readingPaused = false
                if readHeld {
                    readHeld = false
                    context.read()
                }
            }
        }
    }

    private func endSession() {
        guard !sessionEnded else { return }
        sessionEnded = true
        perform(session.transportEnded())
        cancelTimers()
    }

    private func closeAfterWrites() {
        guard let context else { return }
        outputClosed = true
        guard let lastWrite else {
            context.close(promise: nil)
            return
        }
        lastWrite.assumeIsolated().whenComplete { [self] _ in self.context?.close(promise: nil) }
    }

    private func cancelTimers() {
        for timer in timers.values { timer.cancel() }
        timers = [:]
    }
}

/// The channel as a session sees it: actions hop to the event loop in order, tasks run on the global pool,
/// sleeps take real time.
// Unchecked: `handler` is only read and written on `eventLoop`.
private final class ChannelSessionHost: ServerSessionHost, @unchecked Sendable {
    private let eventLoop: any EventLoop
    // Strong, and cut by `detach()` when the handler leaves the pipeline: the handler holds the session, which
    // holds this host. Not `weak`: a weak reference gives the handler a side table whose tagged pointer
    // LeakSanitizer cannot see, so every handler still alive at exit was reported as a leak.
    private var handler: SessionChannelHandler?

    init(eventLoop: any EventLoop, handler: SessionChannelHandler) {
        self.eventLoop = eventLoop
        self.handler = handler
    }

    func detach() {
        eventLoop.preconditionInEventLoop()
        handler = nil
    }

    func perform(_ actions: [ServerAction]) {
        guard !actions.isEmpty else { return }
        // Always enqueued, even from the event loop: the session may be holding its lock.
        eventLoop.execute { self.handler?.perform(actions) }
    }

    func startTask(_ operation: sending @escaping () async -> Void) {
        Task(operation: operation)
    }

    func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
