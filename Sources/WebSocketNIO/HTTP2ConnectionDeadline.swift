import NIOCore
import NIOHTTP2

/// The deadline of an HTTP/2 connection on the server: while it has no stream open, it has the handshake timeout
/// (counted from its acceptance at first) to open one, or it gets a GOAWAY and is closed. Each stream has the session
/// host's own deadlines; this one covers the connection around them, so that a client that sends the preface and
/// nothing else, or keeps an emptied connection, holds nothing. A client that ends its side of the TCP connection
/// (FIN) is closed once its last stream is. The close is not graceful on purpose: a graceful one waits for the client
/// to acknowledge a PING, which is what a client that holds connections would not do. Confined to the event loop.
final class HTTP2ConnectionDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private let timeout: TimeAmount
    private var openStreams = 0
    private var lastStream = HTTP2StreamID.rootStream
    private var timer: Scheduled<Void>?
    private var inputClosed = false
    private var context: ChannelHandlerContext?

    /// - Parameter acceptedAt: when the connection was accepted: the first deadline counts from it.
    init(timeout: Duration, acceptedAt: NIODeadline) {
        self.timeout = TimeAmount(timeout)
        firstDeadline = acceptedAt + TimeAmount(timeout)
    }

    private let firstDeadline: NIODeadline

    /// What the HTTP/2 handler tells of its streams (`NIOHTTP2StreamDelegate`), on the event loop.
    struct Streams: NIOHTTP2StreamDelegate {
        let deadline: NIOLoopBound<HTTP2ConnectionDeadline>

        func streamCreated(_ id: HTTP2StreamID, channel: any Channel) { deadline.value.opened(id) }
        func streamClosed(_ id: HTTP2StreamID, channel: any Channel) { deadline.value.closed() }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if openStreams == 0 { arm(firstDeadline) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        self.context = nil
    }

    private func opened(_ id: HTTP2StreamID) {
        openStreams += 1
        lastStream = max(lastStream, id)
        timer?.cancel()
        timer = nil
    }

    private func closed() {
        openStreams -= 1
        guard openStreams == 0, let context else { return }
        if inputClosed { return context.close(promise: nil) }
        arm(context.eventLoop.now + timeout)
    }

    private func arm(_ deadline: NIODeadline) {
        timer?.cancel()
        guard let context else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            guard let context = self.context, openStreams == 0 else { return }
            // RFC 9113 §6.8: the last stream we took, and no error: the client may open a new connection.
            let goAway = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: lastStream, errorCode: .noError, opaqueData: nil))
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(goAway)).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent {
            inputClosed = true
            if openStreams == 0 { context.close(promise: nil) }
        }
        context.fireUserInboundEventTriggered(event)
    }
}
