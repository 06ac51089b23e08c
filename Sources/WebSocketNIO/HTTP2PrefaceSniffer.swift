import Logging
import NIOCore
import NIOHPACK
import NIOHTTP2
import WebSocketCore

/// Serves HTTP/1.1 and HTTP/2 on one port: a connection that opens with the HTTP/2 connection preface (RFC 9113
/// §3.4, what a client with prior knowledge sends in cleartext and what one that chose `h2` in ALPN sends over TLS)
/// gets an HTTP/2 pipeline, whose streams each host a session behind an `ExtendedConnectServerBridge`; any other
/// gets the session host as before. The bytes read to decide go on to the pipeline chosen, unchanged, and are
/// read once: it decides at the first byte that differs from the preface. The handshake deadline counts from the
/// connection's acceptance either way: a client that sends nothing (or part of the preface) is handed to the
/// HTTP/1.1 host when it passes, which answers it 408 as it would have without HTTP/2.
final class HTTP2PrefaceSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// What a server's HTTP/2 connections advertise: extended CONNECT enabled (RFC 8441 §3).
    static let settings: HTTP2Settings = [
        HTTP2Setting(parameter: .maxConcurrentStreams, value: 100),
        HTTP2Setting(parameter: .initialWindowSize, value: 1 << 20),
        HTTP2Setting(parameter: .maxFrameSize, value: 1 << 14),
        HTTP2Setting(parameter: .maxHeaderListSize, value: 64 << 10),
        HTTP2Setting(parameter: .enableConnectProtocol, value: 1)
    ]

    private let makeSession: @Sendable () -> any ServerSession
    private let connections: ConnectionSet
    private let limits: ConnectionLimits
    private let messageMemory: MessageMemoryBudget
    private let logger: Logger
    private var received = ByteBuffer()
    private var deadline: Scheduled<Void>?
    private let acceptedAt: NIODeadline
    private let plant: HTTP2ServerPlant

    init(
        makeSession: @escaping @Sendable () -> any ServerSession, connections: ConnectionSet, limits: ConnectionLimits,
        messageMemory: MessageMemoryBudget, logger: Logger, acceptedAt: NIODeadline, plant: HTTP2ServerPlant = .none
    ) {
        self.acceptedAt = acceptedAt
        self.plant = plant
        self.makeSession = makeSession
        self.connections = connections
        self.limits = limits
        self.messageMemory = messageMemory
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startDeadline(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startDeadline(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { deadline?.cancel() }

    private func startDeadline(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(deadline: acceptedAt + TimeAmount(limits.handshakeTimeout)) {
            [self] in choose(http2: false, context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received.writeBuffer(&buffer)
        let seen = received.readableBytesView.prefix(Self.preface.count)
        guard seen.elementsEqual(Self.preface.prefix(seen.count)) else { return choose(http2: false, context) }
        if seen.count == Self.preface.count { choose(http2: true, context) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }

    private func choose(http2: Bool, _ context: ChannelHandlerContext) {
        deadline?.cancel()
        do {
            if http2 {
                logger.debug("HTTP/2 connection", metadata: ["remote": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")"])
                try configureHTTP2(context.channel)
            } else {
                logger.debug("HTTP/1.1 connection", metadata: ["remote": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")"])
                // The options `addSessionHandlers` sets are the bootstrap's already.
                try context.channel.addSessionPipeline(
                    makeSession(), limits: limits, messageMemory: messageMemory, logger: logger, acceptedAt: acceptedAt)
            }
        } catch {
            logger.debug("cannot set up the connection", metadata: ["error": "\(error)"])
            return context.close(promise: nil)
        }
        let bytes = received
        received = ByteBuffer()
        if bytes.readableBytes > 0 {
            context.fireChannelRead(wrapInboundOut(bytes))
            context.fireChannelReadComplete()
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func configureHTTP2(_ channel: any Channel) throws {
        var connection = NIOHTTP2Handler.ConnectionConfiguration()
        connection.initialSettings = Self.settings
        if !plant.validatesHeaders { connection.headerBlockValidation = .disabled }
        try plant.connection?(channel)
        var stream = NIOHTTP2Handler.StreamConfiguration()
        stream.targetWindowSize = 1 << 20
        // The session host's back-pressure reads the stream's writability: the same bound as a connection's.
        let high = max(limits.maxQueuedOutput, 2)
        stream.outboundBufferSizeHighWatermark = high
        stream.outboundBufferSizeLowWatermark = high / 2
        let deadline = HTTP2ConnectionDeadline(timeout: limits.handshakeTimeout, acceptedAt: acceptedAt)
        let streams = HTTP2ConnectionDeadline.Streams(deadline: NIOLoopBound(deadline, eventLoop: channel.eventLoop))
        let (makeSession, limits, messageMemory, logger, connections, plant) = (makeSession, limits, messageMemory, logger, connections, plant)
        _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
            mode: .server, connectionConfiguration: connection, streamConfiguration: stream, streamDelegate: streams
        ) { stream in
            stream.eventLoop.makeCompletedFuture {
                // Each stream is a WebSocket with a session of its own: they count against the same limit as
                // connections, so that a hundred streams a connection do not multiply what the server holds.
                guard connections.insert(stream, limit: limits.maxConnections) else {
                    return try stream.pipeline.syncOperations.addHandler(StreamRefusal())
                }
                try plant.stream?(stream)
                try stream.pipeline.syncOperations.addHandler(ExtendedConnectServerBridge(logger: logger))
                try stream.addSessionPipeline(makeSession(), limits: limits, messageMemory: messageMemory, logger: logger)
            }
        }
        try channel.pipeline.syncOperations.addHandler(deadline)
    }
}

/// Answers a stream past the server's limit as `SessionServer` answers a connection past it: 503, and the stream ends.
private final class StreamRefusal: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload
    private var answered = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered, case .headers = unwrapInboundIn(data) else { return }
        answered = true
        let headers = HPACKHeaders([(":status", "503"), ("retry-after", "1")])
        context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: headers, endStream: true))), promise: nil)
    }
}
