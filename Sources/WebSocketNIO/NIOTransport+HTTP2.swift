public import NIOCore
import NIOHTTP2
public import NIOPosix
public import NIOSSL
import NIOTLS
import Transport

extension NIOTransport {
    /// What the client's HTTP/2 connection asks of the server: no pushed streams, and windows past a frame of the
    /// catalog's usual sizes, so that flow control paces large messages without stalling small ones.
    static let http2Settings: HTTP2Settings = [
        HTTP2Setting(parameter: .enablePush, value: 0),
        HTTP2Setting(parameter: .maxConcurrentStreams, value: 100),
        HTTP2Setting(parameter: .initialWindowSize, value: 1 << 20),
        HTTP2Setting(parameter: .maxFrameSize, value: 1 << 14),
        HTTP2Setting(parameter: .maxHeaderListSize, value: 64 << 10)
    ]

    /// Opens a WebSocket's stream on a fresh HTTP/2 connection (RFC 8441), as curl chooses HTTP/2: with prior
    /// knowledge (h2c) for a `ws://` URL, by ALPN `h2` in the TLS handshake for `wss://`. It waits within `timeout`
    /// for the server's first SETTINGS, which must enable extended CONNECT (`SETTINGS_ENABLE_CONNECT_PROTOCOL = 1`,
    /// RFC 8441 §3). A server that does not speak HTTP/2, or does not enable it, is refused with `.http2` and the
    /// reason: a run never falls back to HTTP/1.1 on its own. The transport's `openingHandshake` is the extended
    /// CONNECT (`HTTP2ExtendedConnect`); its bytes travel in the stream's DATA frames.
    /// - Parameter tls: the client context, offering `h2` in ALPN; required for a `wss://` URL.
    public static func connectHTTP2(
        to url: WebSocketURL, tls: NIOSSLContext?, timeout: Duration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(ConnectError) -> NIOTransport {
        let loop = group.next()
        let tlsContext = try clientTLS(for: url, tls)
        let peerSettings = loop.makePromise(of: HTTP2Settings.self)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(timeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try configureHTTP2Client(channel, tls: tlsContext, peerSettings: peerSettings)
                }
            }
        let began = loop.now
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: url.host, port: url.port).get()
        } catch {
            peerSettings.fail(error)
            throw classify(error, url: url)
        }
        return try await openExtendedConnectStream(
            on: channel, url: url, peerSettings: peerSettings, began: began, timeout: timeout)
    }

    /// The client's HTTP/2 pipeline on a new connection, on its event loop: TLS if any, the HTTP/2 handler and its
    /// stream multiplexer, and the watch for the server's first SETTINGS, which completes `peerSettings`.
    static func configureHTTP2Client(
        _ channel: any Channel, tls: ClientTLS?, peerSettings: EventLoopPromise<HTTP2Settings>
    ) throws {
        let operations = channel.pipeline.syncOperations
        if let tls { try operations.addHandler(tls.handler()) }
        var connection = NIOHTTP2Handler.ConnectionConfiguration()
        connection.initialSettings = http2Settings
        var stream = NIOHTTP2Handler.StreamConfiguration()
        stream.targetWindowSize = 1 << 20
        stream.outboundBufferSizeHighWatermark = 1 << 20
        stream.outboundBufferSizeLowWatermark = 1 << 19
        // A server may not open streams to a client that disabled push: any it opens is closed at once.
        _ = try operations.configureHTTP2Pipeline(
            mode: .client, connectionConfiguration: connection, streamConfiguration: stream
        ) { pushed in pushed.close() }
        try operations.addHandler(PeerSettingsWatcher(promise: peerSettings, expectsALPN: tls != nil))
    }

    /// The step after the connection, over a socket or a simulated link: waits for the server's first SETTINGS until
    /// `timeout` after `began` (one timeout for the connection, TLS and SETTINGS together, as for a TCP connection),
    /// checks that they enable extended CONNECT, and opens the WebSocket's stream. Closes the connection on failure.
    static func openExtendedConnectStream(
        on channel: any Channel, url: WebSocketURL, peerSettings: EventLoopPromise<HTTP2Settings>, began: NIODeadline,
        timeout: Duration
    ) async throws(ConnectError) -> NIOTransport {
        let loop = channel.eventLoop
        do {
            let timer = loop.scheduleTask(deadline: began + TimeAmount(timeout)) {
                peerSettings.fail(HTTP2Unavailable(reason: "no HTTP/2 SETTINGS frame within \(timeout)"))
            }
            defer { timer.cancel() }
            let settings: HTTP2Settings
            do {
                settings = try await peerSettings.futureResult.get()
            } catch let error as HTTP2Unavailable {
                throw ConnectError(url: url, cause: .http2, detail: error.reason)
            } catch {
                let classified = classify(error, url: url)
                guard classified.cause == .network else { throw classified }
                let how = url.secure ? "over TLS with ALPN h2" : "with prior knowledge (h2c)"
                throw ConnectError(
                    url: url, cause: .http2, detail: "the server does not speak HTTP/2 \(how) on this port (\(error))")
            }
            let enabled = settings.last { $0.parameter == .enableConnectProtocol }?.value
            guard enabled == 1 else {
                throw ConnectError(
                    url: url, cause: .http2,
                    detail: "the server's SETTINGS do not enable extended CONNECT (SETTINGS_ENABLE_CONNECT_PROTOCOL is "
                        + "\(enabled.map(String.init) ?? "absent"), RFC 8441 §3): it takes no WebSocket over HTTP/2")
            }
            let stream = try await loop.flatSubmit { () -> EventLoopFuture<any Channel> in
                do {
                    return try channel.pipeline.syncOperations.handler(type: NIOHTTP2Handler.self).syncMultiplexer()
                        .createStreamChannel { stream in
                            stream.eventLoop.makeCompletedFuture {
                                let operations = stream.pipeline.syncOperations
                                try operations.addHandler(ExtendedConnectClientCodec(eventLoop: stream.eventLoop))
                                try operations.addHandler(InboundQueue(eventLoop: stream.eventLoop, readiness: nil))
                            }
                        }
                } catch {
                    return loop.makeFailedFuture(error)
                }
            }.get()
            let (codec, queue) = try await loop.submit {
                let operations = stream.pipeline.syncOperations
                return (
                    NIOLoopBound(try operations.handler(type: ExtendedConnectClientCodec.self), eventLoop: loop),
                    NIOLoopBound(try operations.handler(type: InboundQueue.self), eventLoop: loop)
                )
            }.get()
            let start = loop.now
            let handshake = HTTP2ExtendedConnect(
                stream: NIOExtendedConnectStream(scheme: url.secure ? "https" : "http", codec: codec, start: start))
            return NIOTransport(channel: stream, queue: queue, connection: channel, openingHandshake: handshake, start: start)
        } catch let error as ConnectError {
            channel.close(promise: nil)
            throw error
        } catch {
            channel.close(promise: nil)
            throw ConnectError(url: url, cause: .http2, detail: "cannot open an HTTP/2 stream: \(error)")
        }
    }
}

/// Why a server takes no WebSocket over HTTP/2, found before any request was sent.
struct HTTP2Unavailable: Error {
    var reason: String
}

/// Completes its promise with the server's first SETTINGS (RFC 9113 §3.4: the server's connection preface), or
/// with why none came: the connection ended or failed first, or TLS agreed on something else than `h2`.
private final class PeerSettingsWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame

    private var promise: EventLoopPromise<HTTP2Settings>?
    private let expectsALPN: Bool

    init(promise: EventLoopPromise<HTTP2Settings>, expectsALPN: Bool) {
        self.promise = promise
        self.expectsALPN = expectsALPN
    }

    private func complete(_ result: Result<HTTP2Settings, any Error>) {
        guard let promise else { return }
        self.promise = nil
        promise.completeWith(result)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .settings(.settings(let settings)) = unwrapInboundIn(data).payload { complete(.success(settings)) }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if expectsALPN, case .handshakeCompleted(let chosen) = event as? TLSUserEvent, chosen != "h2" {
            let what = chosen.map { "\($0.debugDescription)" } ?? "no application protocol"
            complete(
                .failure(HTTP2Unavailable(reason: "the TLS handshake agreed on \(what) in ALPN, not h2: the server offers no HTTP/2 on this port")))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        complete(.failure(error))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete(
            .failure(
                HTTP2Unavailable(reason: "the server closed the connection without an HTTP/2 SETTINGS frame: it does not speak HTTP/2 on this port")))
        context.fireChannelInactive()
    }
}
