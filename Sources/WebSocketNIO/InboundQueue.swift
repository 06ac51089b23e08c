import NIOCore
import NIOSSL
import NIOTLS
import Transport

/// The client end of a live connection, as the runner reads it: inbound bytes and the end of the
/// connection queue up until the runner asks, and a read waits on an event-loop timer for its deadline.
/// Reading from the socket pauses while a megabyte waits unread, so a flooding server cannot make the
/// queue grow without bound. It also tells a writer when the channel is writable again (output back-pressure):
/// while one waits, up to `highWaterWhileWriting` is read, so that a peer that echoes as it reads cannot
/// deadlock with a writer that waits for it to read. For TLS it also reports when the TLS handshake is done.
/// Confined to the channel's event loop.
final class InboundQueue: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Socket reads pause while this many bytes wait for the runner.
    static let highWater = 1 << 20
    /// The same while a write waits for the peer to read: above the largest message a case sends (16 MiB).
    static let highWaterWhileWriting = 24 << 20

    private let eventLoop: any EventLoop
    private var inbox = CircularBuffer<TransportInput>()
    private var bufferedBytes = 0
    private var readHeld = false
    private var waiter: (promise: EventLoopPromise<TransportInput>, timer: Scheduled<Void>)?
    /// A write waiting for the channel to become writable: true when it is (or the connection is gone), false at its deadline.
    private var writeWaiter: (promise: EventLoopPromise<Bool>, timer: Scheduled<Void>)?
    private var ended = false
    private var context: ChannelHandlerContext?
    /// Completed when the connection is ready for the opening handshake (after TLS, when there is TLS).
    private var readiness: EventLoopPromise<Void>?

    init(eventLoop: any EventLoop, readiness: EventLoopPromise<Void>?) {
        self.eventLoop = eventLoop
        self.readiness = readiness
    }

    // MARK: The runner's side

    /// Completes `promise` with the next input, or with `.timedOut` at `deadline`.
    func next(before deadline: NIODeadline, _ promise: EventLoopPromise<TransportInput>) {
        if let input = inbox.popFirst() {
            promise.succeed(taken(input))
            return
        }
        if eventLoop.now >= deadline {
            promise.succeed(.timedOut)
            return
        }
        resolveWaiter(.timedOut) // One read at a time; an abandoned one ends now.
        let timer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in resolveWaiter(.timedOut) }
        waiter = (promise, timer)
    }

    /// The reading task was cancelled.
    func cancelWait() { resolveWaiter(.timedOut) }

    /// Completes `promise` with true once the channel is writable (at once if it is, or if the connection is over),
    /// or with false at `deadline`.
    func whenWritable(before deadline: NIODeadline, _ promise: EventLoopPromise<Bool>) {
        guard let context, context.channel.isActive, !context.channel.isWritable else { return promise.succeed(true) }
        resolveWriteWaiter(true)
        let timer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in resolveWriteWaiter(false) }
        writeWaiter = (promise, timer)
        if readHeld && bufferedBytes < Self.highWaterWhileWriting {
            readHeld = false
            context.read()
        }
    }

    private func resolveWriteWaiter(_ writable: Bool) {
        guard let writeWaiter else { return }
        self.writeWaiter = nil
        writeWaiter.timer.cancel()
        writeWaiter.promise.succeed(writable)
    }

    /// Fails the readiness promise if the connection is not ready by now.
    func readinessTimedOut() { completeReadiness(ChannelError.connectTimeout(.zero)) }

    private var readLimit: Int { writeWaiter == nil ? Self.highWater : Self.highWaterWhileWriting }

    private func taken(_ input: TransportInput) -> TransportInput {
        if case .bytes(let bytes) = input {
            bufferedBytes -= bytes.count
            if readHeld && bufferedBytes < readLimit, let context {
                readHeld = false
                context.read()
            }
        }
        return input
    }

    private func deliver(_ input: TransportInput) {
        if waiter == nil {
            if case .bytes(let bytes) = input { bufferedBytes += bytes.count }
            inbox.append(input)
        } else {
            resolveWaiter(input)
        }
    }

    private func resolveWaiter(_ input: TransportInput) {
        guard let waiter else { return }
        self.waiter = nil
        waiter.timer.cancel()
        waiter.promise.succeed(input)
    }

    private func finish(_ input: TransportInput) {
        guard !ended else { return }
        ended = true
        deliver(input)
    }

    private func completeReadiness(_ error: (any Error)?) {
        guard let readiness else { return }
        self.readiness = nil
        if let error { readiness.fail(error) } else { readiness.succeed() }
    }

    // MARK: The channel's side

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        resolveWriteWaiter(true)
        completeReadiness(ChannelError.ioOnClosedChannel)
        finish(.endOfStream)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard !ended, let bytes = buffer.readBytes(length: buffer.readableBytes), !bytes.isEmpty else { return }
        deliver(.bytes(bytes))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent {
            completeReadiness(nil)
        } else if case .inputClosed = event as? ChannelEvent {
            finish(.endOfStream)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        completeReadiness(error)
        // A TLS peer that closes TCP without close_notify has still closed the connection, not reset it.
        if case .uncleanShutdown = error as? NIOSSLError {
            finish(.endOfStream)
        } else {
            finish(.reset)
        }
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { resolveWriteWaiter(true) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        resolveWriteWaiter(true)
        completeReadiness(ChannelError.eof)
        finish(.endOfStream)
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        if bufferedBytes >= readLimit {
            readHeld = true
        } else {
            context.read()
        }
    }
}
