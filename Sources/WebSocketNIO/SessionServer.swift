public import Logging
import NIOConcurrencyHelpers
public import NIOCore
public import NIOPosix
public import NIOSSL
public import WebSocketCore

/// A TCP (or TLS) listener that gives every connection a fresh sans-IO `ServerSession`: the reference
/// echo server over real sockets (for `wsspec serve`, live runs without a URL, tests), or an
/// application's `WebSocketRouter`.
public final class SessionServer: Sendable {
    private let channel: any Channel
    private let connections: ConnectionSet
    /// The memory its connections' messages in progress hold together (`ConnectionLimits.maxMessageMemory`).
    public let messageMemory: MessageMemoryBudget
    /// The port it listens on (useful when it was asked for port 0).
    public let port: Int
    public let host: String

    /// What a connection past the limit gets, before the close: an HTTP answer a client can report.
    static let refusal = Array("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\nRetry-After: 1\r\n\r\n".utf8)

    private init(channel: any Channel, connections: ConnectionSet, messageMemory: MessageMemoryBudget, host: String, port: Int) {
        self.channel = channel
        self.connections = connections
        self.messageMemory = messageMemory
        self.host = host
        self.port = port
    }

    /// Starts listening. Port 0 picks a free port.
    /// - Parameter http2: also take WebSockets over HTTP/2 (RFC 8441) on the same port: cleartext HTTP/2 with prior
    ///   knowledge, and over TLS what a client that chose `h2` in ALPN sends (a `tls` context that offers `h2`:
    ///   `TLSSettings.serverContext(…, applicationProtocols: ["h2", "http/1.1"])`).
    public static func start(
        host: String = "127.0.0.1", port: Int = 0, tls: NIOSSLContext? = nil, http2: Bool = true,
        limits: ConnectionLimits = ConnectionLimits(),
        logger: Logger = Logger(label: "wsspec.server"),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        makeSession: @escaping @Sendable () -> any ServerSession
    ) async throws -> SessionServer {
        try await start(
            host: host, port: port, tls: tls, http2: http2, limits: limits, logger: logger, group: group, plant: .none,
            makeSession: makeSession)
    }

    /// The same, with a defect planted in its HTTP/2 pipeline (`HTTP2ServerPlant`): for tests of the HTTP/2 section.
    package static func start(
        host: String = "127.0.0.1", port: Int = 0, tls: NIOSSLContext? = nil, http2: Bool = true,
        limits: ConnectionLimits = ConnectionLimits(), logger: Logger = Logger(label: "wsspec.server"),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, plant: HTTP2ServerPlant,
        makeSession: @escaping @Sendable () -> any ServerSession
    ) async throws -> SessionServer {
        let connections = ConnectionSet()
        let messageMemory = MessageMemoryBudget(limit: limits.maxMessageMemory)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: SessionChannelHandler.waterMark(limits))
            // One read per turn of the event loop (NIO's default is four): a client flooding tiny frames then holds
            // its loop for one buffer's worth of parsing at a time, and the other connections on it get their turns.
            .childChannelOption(.maxMessagesPerRead, value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try addConnectionHandlers(
                        channel, tls: tls, http2: http2, makeSession: makeSession, connections: connections, limits: limits,
                        messageMemory: messageMemory, logger: logger, plant: plant)
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        let boundPort = channel.localAddress?.port ?? port
        logger.debug("listening", metadata: ["host": "\(host)", "port": "\(boundPort)", "tls": "\(tls != nil)"])
        return SessionServer(channel: channel, connections: connections, messageMemory: messageMemory, host: host, port: boundPort)
    }

    /// The handlers of one accepted connection, on its event loop: TLS if any, then the session host, or the
    /// HTTP/2 sniffer in front of it; a connection past `limits.maxConnections` gets the refusal instead. Every
    /// connection the server accepts is set up here, on a socket or (`InProcessSessionServer`) on a simulated link.
    static func addConnectionHandlers(
        _ channel: any Channel, tls: NIOSSLContext?, http2: Bool, makeSession: @escaping @Sendable () -> any ServerSession,
        connections: ConnectionSet, limits: ConnectionLimits, messageMemory: MessageMemoryBudget, logger: Logger,
        plant: HTTP2ServerPlant = .none
    ) throws {
        let operations = channel.pipeline.syncOperations
        guard connections.insert(channel, limit: limits.maxConnections) else {
            logger.debug("connection refused: \(limits.maxConnections) open")
            // Plain bytes even under TLS: the client's handshake then fails, which is refusal enough.
            return try operations.addHandler(RefusalHandler())
        }
        if let tls { try operations.addHandler(NIOSSLServerHandler(context: tls)) }
        if http2 {
            try operations.addHandler(
                HTTP2PrefaceSniffer(
                    makeSession: makeSession, connections: connections, limits: limits, messageMemory: messageMemory,
                    logger: logger, acceptedAt: channel.eventLoop.now, plant: plant))
        } else {
            try channel.addSessionHandlers(makeSession(), limits: limits, messageMemory: messageMemory, logger: logger)
        }
    }

    /// How many connections are open now, each HTTP/2 stream counted as one too (the refused ones are not counted).
    public var connectionCount: Int { connections.count }

    /// The `ws://` (or `wss://`) URL of the server's root.
    public func url(secure: Bool = false) -> WebSocketURL {
        let literal = host.contains(":") ? "[\(host)]" : host
        // The text is built from a bound address, so it always parses.
        return try! WebSocketURL(parsing: "\(secure ? "wss" : "ws")://\(literal):\(port)/")
    }

    /// Stops accepting connections and closes the open ones.
    public func stop() async {
        try? await channel.close()
        await connections.closeAll()
    }

    /// Waits until the listener is closed (by `stop()` or an error).
    public func waitUntilStopped() async {
        try? await channel.closeFuture.get()
    }
}

/// The open connections of a server, so that stopping it ends them too.
final class ConnectionSet: Sendable {
    // A pthread lock (not Synchronization.Mutex): ThreadSanitizer sees it. The channels close on event-loop threads.
    private let channels = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])

    /// Adds the channel unless `limit` channels are open already; false when it was not added.
    func insert(_ channel: any Channel, limit: Int = .max) -> Bool {
        let key = ObjectIdentifier(channel)
        let added = channels.withLockedValue { open in
            guard open.count < limit else { return false }
            open[key] = channel
            return true
        }
        if added {
            channel.closeFuture.whenComplete { [weak self] _ in _ = self?.channels.withLockedValue { $0.removeValue(forKey: key) } }
        }
        return added
    }

    var count: Int { channels.withLockedValue { $0.count } }

    func closeAll() async {
        let open = channels.withLockedValue { Array($0.values) }
        for channel in open { try? await channel.close() }
    }
}

/// Answers a connection past the cap with `SessionServer.refusal` as soon as it is active, then closes it.
private final class RefusalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: SessionServer.refusal))).whenComplete { _ in channel.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {} // Whatever the client sends is dropped.
}
