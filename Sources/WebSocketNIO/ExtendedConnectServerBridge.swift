import Logging
import NIOCore
import NIOHPACK
import NIOHTTP2
import WebSocketCore

/// The server's end of one HTTP/2 stream (RFC 8441), in front of the session host a TCP connection has
/// (`addSessionHandlers`), so that a session serves a WebSocket over HTTP/2 unchanged:
/// - the request's header list reaches the session as the HTTP/1.1 upgrade request it stands for
///   (`ExtendedConnect.upgradeRequest`), so the one handshake decision (`ServerHandshake`) judges both;
/// - the session's HTTP/1.1 answer leaves as HEADERS (`ExtendedConnect.responseFields`: its 101 is a 200), and
///   what follows it as DATA;
/// - END_STREAM is the end of input and the session's half-close (a FIN over TCP), RST_STREAM a reset either way.
/// A request that cannot be read as one is a stream error (RFC 9113 §8.1.1). Confined to the stream's event loop.
final class ExtendedConnectServerBridge: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let logger: Logger
    private var requested = false
    /// Reads the session's answer until its head is whole; nil once it went out as HEADERS.
    private var answer: HTTPHeadParser? = HTTPHeadParser(maxHeadSize: 64 << 10)
    private var outputClosed = false
    /// The client ended its side (END_STREAM): once the answer is out, ending ours closes the stream cleanly.
    private var inputEnded = false

    init(logger: Logger) { self.logger = logger }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .headers(let headers):
            if !requested {
                requested = true
                let fields = headers.headers.map { (name: $0.name, value: $0.value) }
                do {
                    let request = try ExtendedConnect.upgradeRequest(fromFields: fields)
                    if request.headers.single("Upgrade") != nil {
                        // The path is the client's: quoted, so no byte of it acts on a terminal.
                        logger.debug("extended CONNECT", metadata: ["path": "\(request.target.debugDescription)"])
                    }
                    context.fireChannelRead(wrapInboundOut(ByteBuffer(bytes: HTTPSerializer.serialize(request))))
                } catch {
                    return reset(context, .protocolError)
                }
            }
            if headers.endStream { endOfInput(context) }
        case .data(let data):
            // DATA before the request's HEADERS is a connection error NIOHTTP2 reports itself.
            if requested, case .byteBuffer(let buffer) = data.data, buffer.readableBytes > 0 {
                context.fireChannelRead(wrapInboundOut(buffer))
            }
            if data.endStream { endOfInput(context) }
        case .rstStream:
            // The stream channel reports the reset to the session host itself once it is closed; a close before that
            // would answer the client's RST_STREAM with one of ours (RFC 9113 §5.4.2).
            break
        default:
            break
        }
    }

    private func endOfInput(_ context: ChannelHandlerContext) {
        inputEnded = true
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        guard var parser = answer else {
            return context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(buffer)))), promise: promise)
        }
        let complete: (head: [UInt8], rest: [UInt8])?
        do {
            complete = try parser.append(Array(buffer.readableBytesView))
        } catch {
            promise?.fail(error)
            return reset(context, .internalError)
        }
        answer = parser
        guard let complete else { return promise?.succeed() ?? () }
        answer = nil
        guard let response = try? HTTPHeadParser.parseResponse(complete.head) else {
            promise?.fail(ChannelError.inappropriateOperationForState)
            return reset(context, .internalError)
        }
        let fields = ExtendedConnect.responseFields(for: response)
        let headers = HPACKHeaders(fields.map { ($0.name, $0.value) })
        if complete.rest.isEmpty {
            context.write(wrapOutboundOut(.headers(.init(headers: headers))), promise: promise)
        } else {
            context.write(wrapOutboundOut(.headers(.init(headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(ByteBuffer(bytes: complete.rest))))), promise: promise)
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // The session's half-close is END_STREAM, once its answer went out; before that there is no response to end,
        // and the stream is reset (a stream channel's own close sends RST_STREAM while the stream is open). A whole
        // close after the client ended its side is END_STREAM too, as a close after a FIN is over TCP: the stream
        // then closes cleanly.
        let endsTheStream = mode == .output || mode == .all && inputEnded
        guard endsTheStream, answer == nil else { return context.close(mode: .all, promise: promise) }
        guard !outputClosed else {
            promise?.succeed()
            return
        }
        outputClosed = true
        context.writeAndFlush(wrapOutboundOut(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true))), promise: promise)
    }

    private func reset(_ context: ChannelHandlerContext, _ code: HTTP2ErrorCode) {
        outputClosed = true
        context.writeAndFlush(wrapOutboundOut(.rstStream(code)), promise: nil)
        context.close(promise: nil)
    }
}
