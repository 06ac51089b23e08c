import NIOCore

/// The session host's idle clock: what NIO's `IdleStateHandler(allTimeout:)` does (nothing read and no write
/// completed for `timeout` fires `IdleStateHandler.IdleStateEvent.all`), with the time read from the channel's event
/// loop instead of the machine's clock. On a simulated link whose loop keeps virtual time (`SimulationEventLoop`,
/// `.virtual`) the idle timeout then passes in virtual time, as every other deadline of the host does; NIO's handler
/// would see no time pass there and never fire.
final class IdleTimer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias InboundOut = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private let timeout: TimeAmount
    private var lastActivity: NIODeadline?
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { stop() }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastActivity = context.eventLoop.now
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // A write counts when it completes: a peer that reads nothing is idle, however much is queued for it.
        let promise = promise ?? context.eventLoop.makePromise()
        let loop = context.eventLoop
        promise.futureResult.assumeIsolated().whenSuccess { [self] in lastActivity = loop.now }
        context.write(data, promise: promise)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard timer == nil, timeout.nanoseconds > 0 else { return }
        lastActivity = context.eventLoop.now
        arm(context, at: context.eventLoop.now + timeout)
    }

    private func stop() {
        timer?.cancel()
        timer = nil
    }

    private func arm(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            guard timer != nil else { return }
            let now = context.eventLoop.now
            let due = (lastActivity ?? now) + timeout
            if now >= due {
                arm(context, at: now + timeout)
                context.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
            } else {
                arm(context, at: due)
            }
        }
    }
}
