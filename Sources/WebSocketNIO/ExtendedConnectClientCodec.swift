import NIOCore
import NIOHPACK
import NIOHTTP2
import Transport
import WebSocketCore

/// The client's end of one HTTP/2 stream that carries a WebSocket (RFC 8441), under the same `InboundQueue` a TCP
/// connection has: DATA frames in and out as bytes, END_STREAM as the end of input (and our `close(mode: .output)`
/// as END_STREAM, what a FIN is over TCP), RST_STREAM as a reset. The response's header list is kept apart, for the
/// opening handshake to read. Confined to the stream channel's event loop.
final class ExtendedConnectClientCodec: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let eventLoop: any EventLoop
    private var context: ChannelHandlerContext?
    /// The answer, once it came and until the handshake reads it.
    private var answer: ExtendedConnectAnswer?
    private var answered = false
    private var waiter: (promise: EventLoopPromise<ExtendedConnectAnswer>, timer: Scheduled<Void>)?
    private var outputClosed = false

    init(eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    // MARK: The handshake's side

    /// Sends the request's HEADERS. Not waited for: HTTP/2 holds a new stream's HEADERS while the server's
    /// `SETTINGS_MAX_CONCURRENT_STREAMS` is reached, and the wait for the answer has the deadline.
    func sendRequest(_ fields: [ExtendedConnect.Field]) {
        guard let context else { return } // The stream is gone: the answer says so.
        let headers = HPACKHeaders(fields.map { ($0.name, $0.value) })
        context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: headers))), promise: nil)
    }

    func response(before deadline: NIODeadline, _ promise: EventLoopPromise<ExtendedConnectAnswer>) {
        if let answer {
            self.answer = nil
            return promise.succeed(answer)
        }
        resolve(.timedOut) // One wait at a time.
        let timer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in resolve(.timedOut) }
        waiter = (promise, timer)
    }

    /// The stream's first answer: to the waiting handshake, or kept for it.
    private func answer(_ answer: ExtendedConnectAnswer) {
        guard !answered else { return }
        answered = true
        if waiter != nil { resolve(answer) } else { self.answer = answer }
    }

    private func resolve(_ answer: ExtendedConnectAnswer) {
        guard let waiter else { return }
        self.waiter = nil
        waiter.timer.cancel()
        waiter.promise.succeed(answer)
    }

    // MARK: The channel's side

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        answer(.ended(reset: false))
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .headers(let headers):
            // An interim 1xx (RFC 9113 §8.1) comes before the answer; it is not the answer.
            let interim = headers.headers.first(name: ":status")?.hasPrefix("1") == true && !headers.endStream
            if !interim { answer(.headers(headers.headers.map { (name: $0.name, value: $0.value) })) }
            if headers.endStream { context.fireUserInboundEventTriggered(ChannelEvent.inputClosed) }
        case .data(let data):
            if case .byteBuffer(let buffer) = data.data, buffer.readableBytes > 0 {
                context.fireChannelRead(wrapInboundOut(buffer))
            }
            if data.endStream {
                answer(.ended(reset: false))
                context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
            }
        case .rstStream:
            // The stream channel reports the reset itself (`errorCaught`) once it is closed: a close before that
            // would answer the peer's RST_STREAM with one of ours (RFC 9113 §5.4.2).
            answer(.ended(reset: true))
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        answer(.ended(reset: true))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        answer(.ended(reset: false))
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(buffer)))), promise: promise)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // A stream channel closes as a whole, with RST_STREAM if it is still open. Our half-close is END_STREAM.
        guard mode == .output else { return context.close(mode: mode, promise: promise) }
        guard !outputClosed else {
            promise?.succeed()
            return
        }
        outputClosed = true
        context.writeAndFlush(wrapOutboundOut(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true))), promise: promise)
    }
}

/// The handshake's view of a stream (`ExtendedConnectStream`), from any task: it hops to the stream's event loop.
final class NIOExtendedConnectStream: ExtendedConnectStream {
    let scheme: String
    private let codec: NIOLoopBound<ExtendedConnectClientCodec>
    private let start: NIODeadline

    init(scheme: String, codec: NIOLoopBound<ExtendedConnectClientCodec>, start: NIODeadline) {
        self.scheme = scheme
        self.codec = codec
        self.start = start
    }

    func sendRequest(_ fields: [ExtendedConnect.Field]) async {
        let codec = codec
        codec.eventLoop.execute { codec.value.sendRequest(fields) }
    }

    func response(until deadline: Duration) async -> ExtendedConnectAnswer {
        let promise = codec.eventLoop.makePromise(of: ExtendedConnectAnswer.self)
        let codec = codec, instant = start + TimeAmount(deadline)
        codec.eventLoop.execute { codec.value.response(before: instant, promise) }
        return (try? await promise.futureResult.get()) ?? .ended(reset: true)
    }
}
