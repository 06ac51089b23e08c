import Logging
import NIOCore
import Synchronization
import WebSocketCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hosts one sans-IO `ServerSession` on a NIO channel: bytes in, actions out, timers on the event loop.
/// It carries out `.closeTransport` the way the simulated network does (FIN, and the session learns at
/// once that the transport is gone), then lingers, discarding input, until the peer closes its side or
/// the linger timeout passes, so that unread client bytes do not turn our close into a reset.
///
/// It also enforces the `ConnectionLimits` that belong to the transport rather than to the protocol: the
/// handshake deadline (until the session first answers, which it does only once the request is decided),
/// idleness (an `IdleTimer` before it reports it), and write back-pressure: while more than
/// `maxQueuedOutput` bytes wait for the client to read them, nothing more is read from it.
final class SessionChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let session: any ServerSession
    private let limits: ConnectionLimits
    private let messageMemory: MessageMemoryBudget
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
    /// The session has answered the upgrade request (101 or a refusal): the handshake deadline is met.
    private var answered = false
    private var handshakeDeadline: Scheduled<Void>?
    /// After our close: the longest we wait for the client to close its side. Cancelled when the handler goes, so
    /// that no timer outlives the connection (a loop that is torn down with timers pending drops them unrun).
    private var lingerDeadline: Scheduled<Void>?
    /// The session was told the connection is idle; the next idle period drops it.
    private var idleReported = false
    /// Handlers' sends waiting for the client to read what is queued.
    private var writabilityWaiters: [EventLoopPromise<Void>] = []

    /// The idle clock for `limits`, to be put in front of this handler.
    static func idleTimer(_ limits: ConnectionLimits) -> IdleTimer {
        IdleTimer(timeout: TimeAmount(limits.idleTimeout))
    }

    /// The channel's write-buffer water marks for `limits`: unwritable above the limit, writable below half.
    static func waterMark(_ limits: ConnectionLimits) -> ChannelOptions.Types.WriteBufferWaterMark {
        let high = max(limits.maxQueuedOutput, 2)
        return .init(low: high / 2, high: high)
    }

    /// When the connection was accepted, if that was before this handler came (the handshake deadline counts from
    /// it): a connection first read by another handler (`HTTP2PrefaceSniffer`) has used some of its time already.
    private let acceptedAt: NIODeadline?

    init(
        session: any ServerSession, limits: ConnectionLimits, messageMemory: MessageMemoryBudget, logger: Logger,
        acceptedAt: NIODeadline? = nil
    ) {
        self.session = session
        self.limits = limits
        self.messageMemory = messageMemory
        self.logger = logger
        self.acceptedAt = acceptedAt
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let host = ChannelSessionHost(
            eventLoop: context.eventLoop, handler: self, maxQueuedOutput: limits.maxQueuedOutput,
            messageMemory: messageMemory)
        self.host = host
        session.attach(host)
        if context.channel.isActive { startHandshakeDeadline(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        endSession()
        handshakeDeadline?.cancel()
        lingerDeadline?.cancel()
        releaseWritabilityWaiters()
        host?.detach()
        host = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        startHandshakeDeadline(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        idleReported = false
        guard !sessionEnded, let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
        perform(session.receive(bytes))
    }

    func read(context: ChannelHandlerContext) {
        // Held while the session asked for a pause, or while the client leaves our output unread.
        guard !readingPaused, context.channel.isWritable || outputClosed else { return readHeld = true }
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let writable = context.channel.isWritable
        host?.writable.store(writable, ordering: .relaxed)
        if writable {
            releaseWritabilityWaiters()
            resumeHeldRead(context)
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent {
            // The peer will send nothing more: the session ends, and we close once our writes are out.
            endSession()
            closeAfterWrites()
        } else if event is IdleStateHandler.IdleStateEvent {
            connectionIsIdle(context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        endSession()
        releaseWritabilityWaiters()
        context.fireChannelInactive()
    }

    /// A handler's send waits here while the client's output queue is full; it goes on once the queue drained
    /// below half, or the connection is over.
    fileprivate func whenWritable(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        guard let context, !context.channel.isWritable, !outputClosed, !sessionEnded else {
            return eventLoop.makeSucceededVoidFuture()
        }
        let promise = context.eventLoop.makePromise(of: Void.self)
        writabilityWaiters.append(promise)
        return promise.futureResult
    }

    private func releaseWritabilityWaiters() {
        let waiters = writabilityWaiters
        writabilityWaiters = []
        for waiter in waiters { waiter.succeed() }
    }

    private func resumeHeldRead(_ context: ChannelHandlerContext) {
        guard readHeld, !readingPaused, context.channel.isWritable || outputClosed else { return }
        readHeld = false
        context.read()
    }

    private func startHandshakeDeadline(_ context: ChannelHandlerContext) {
        guard handshakeDeadline == nil, !answered else { return }
        let deadline = (acceptedAt ?? context.eventLoop.now) + TimeAmount(limits.handshakeTimeout)
        handshakeDeadline = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            guard !answered, let context = self.context else { return }
            logger.debug("no upgrade request within the handshake timeout")
            answered = true
            endSession()
            // As `.closeTransport` does: FIN after the answer, then input read and dropped until the client closes
            // or the linger ends. Closing with a request still arriving would reset the connection, and the
            // client could lose the 408 it had not read yet.
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: Self.requestTimeout)), promise: nil)
            outputClosed = true
            context.close(mode: .output, promise: nil)
            closeAfterLinger(context)
            resumeHeldRead(context)
        }
    }

    static let requestTimeout = Array("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".utf8)

    /// Nothing read and no write completed for the idle timeout: before the upgrade answer the handshake deadline
    /// rules; afterwards the session is asked to close, and a connection still silent a period later is dropped.
    private func connectionIsIdle(_ context: ChannelHandlerContext) {
        guard answered else { return }
        if idleReported || sessionEnded {
            logger.debug("idle connection dropped")
            context.close(promise: nil)
            return
        }
        idleReported = true
        perform(session.timerFired(.idle))
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
                if !answered {
                    answered = true
                    handshakeDeadline?.cancel()
                }
                let promise = context.eventLoop.makePromise(of: Void.self)
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: promise)
                lastWrite = promise.futureResult
            case .closeTransport:
                guard !outputClosed else { continue }
                outputClosed = true
                cancelTimers()
                context.close(mode: .output, promise: nil)
                closeAfterLinger(context)
                resumeHeldRead(context) // What the client still sends is read and dropped until its FIN.
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
                resumeHeldRead(context)
            }
        }
    }

    private func endSession() {
        guard !sessionEnded else { return }
        sessionEnded = true
        perform(session.transportEnded())
        cancelTimers()
    }

    /// Closes once our last bytes are out, or after the linger timeout when the client does not read them.
    private func closeAfterWrites() {
        guard let context else { return }
        outputClosed = true
        guard let lastWrite else {
            context.close(promise: nil)
            return
        }
        lastWrite.assumeIsolated().whenComplete { [self] _ in self.context?.close(promise: nil) }
        closeAfterLinger(context)
    }

    private func closeAfterLinger(_ context: ChannelHandlerContext) {
        lingerDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limits.lingerTimeout)) { [self] in
            self.context?.close(promise: nil)
        }
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
    fileprivate let eventLoop: any EventLoop
    /// Where the session's tasks run and sleep when the loop says (a simulation's loop); else the global pool and
    /// real time. Asked once, not on every task or sleep.
    private let taskContext: (any SessionTaskContext)?
    /// Mirrors the channel's writability, so that a send to a client that keeps up costs no hop to the event loop.
    fileprivate let writable = Atomic(true)
    /// Bytes handed to `perform` that the event loop has not written yet: the channel's writability does not see
    /// them, so a handler that sends faster than the loop runs would otherwise pass the limit unchecked.
    private let unwritten = Atomic(0)
    private let maxQueuedOutput: Int
    // Strong, and cut by `detach()` when the handler leaves the pipeline: the handler holds the session, which
    // holds this host. Not `weak`: a weak reference gives the handler a side table whose tagged pointer
    // LeakSanitizer cannot see, so every handler still alive at exit was reported as a leak.
    private var handler: SessionChannelHandler?

    let messageMemory: MessageMemoryBudget?

    init(eventLoop: any EventLoop, handler: SessionChannelHandler, maxQueuedOutput: Int, messageMemory: MessageMemoryBudget) {
        self.eventLoop = eventLoop
        taskContext = eventLoop as? any SessionTaskContext
        self.handler = handler
        self.maxQueuedOutput = maxQueuedOutput
        self.messageMemory = messageMemory
    }

    func detach() {
        eventLoop.preconditionInEventLoop()
        handler = nil
    }

    func perform(_ actions: [ServerAction]) {
        guard !actions.isEmpty else { return }
        let bytes = actions.reduce(0) { total, action in if case .write(let bytes) = action { total + bytes.count } else { total } }
        if bytes > 0 { unwritten.add(bytes, ordering: .relaxed) }
        // Always enqueued, even from the event loop: the session may be holding its lock.
        eventLoop.execute {
            self.handler?.perform(actions)
            if bytes > 0 { self.unwritten.subtract(bytes, ordering: .relaxed) }
        }
    }

    func startTask(_ operation: sending @escaping () async -> Void) {
        if let taskContext { taskContext.startTask(operation) } else { Task(operation: operation) }
    }

    func sleep(for duration: Duration) async throws {
        if let taskContext { try await taskContext.sleep(for: duration) } else { try await Task.sleep(for: duration) }
    }

    func waitUntilWritable() async {
        if writable.load(ordering: .relaxed), unwritten.load(ordering: .relaxed) <= maxQueuedOutput { return }
        // Submitted behind the writes already enqueued, so the channel's writability has seen them by then.
        let future = eventLoop.flatSubmit { self.handler?.whenWritable(on: self.eventLoop) ?? self.eventLoop.makeSucceededVoidFuture() }
        try? await future.get()
    }
}
