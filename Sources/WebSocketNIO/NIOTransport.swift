public import NIOCore
public import NIOPosix
public import NIOSSL
public import Transport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The runner's connection to a live server: TCP, or TLS over TCP, or one stream of an HTTP/2 connection over
/// either (`connectHTTP2`). Writes go out as the runner makes them (no coalescing, Nagle off) so that a case's
/// segmentation reaches the wire as written.
public final class NIOTransport: ByteTransport {
    private let channel: any Channel
    private let queue: NIOLoopBound<InboundQueue>
    /// The HTTP/2 connection whose stream `channel` is, closed with it; nil over TCP.
    private let connection: (any Channel)?
    let start: NIODeadline
    private var outputClosed = false
    public let openingHandshake: any ClientOpeningHandshake

    init(
        channel: any Channel, queue: NIOLoopBound<InboundQueue>, connection: (any Channel)? = nil,
        openingHandshake: any ClientOpeningHandshake = HTTP1Upgrade(), start: NIODeadline? = nil
    ) {
        self.channel = channel
        self.queue = queue
        self.connection = connection
        self.openingHandshake = openingHandshake
        self.start = start ?? channel.eventLoop.now
    }

    /// Connects, and for `wss://` completes the TLS handshake, within `timeout`.
    /// - Parameter tls: the client context; required for a `wss://` URL.
    public static func connect(
        to url: WebSocketURL, tls: NIOSSLContext?, timeout: Duration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(ConnectError) -> NIOTransport {
        let loop = group.next()
        let tlsContext = try clientTLS(for: url, tls)
        let readiness: EventLoopPromise<Void>? = tlsContext == nil ? nil : loop.makePromise()
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(timeout))
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            // Past the largest message a case sends: the runner's writes to a server do not wait on the server's reads.
            .channelOption(.writeBufferWaterMark, value: .init(low: 16 << 20, high: 32 << 20))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let tlsContext { try operations.addHandler(tlsContext.handler()) }
                    try operations.addHandler(InboundQueue(eventLoop: loop, readiness: readiness))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: url.host, port: url.port).get()
        } catch {
            readiness?.fail(error)
            throw classify(error, url: url)
        }
        do {
            let queue = try await loop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: InboundQueue.self), eventLoop: loop)
            }.get()
            if let readiness {
                let timer = loop.scheduleTask(in: TimeAmount(timeout)) { queue.value.readinessTimedOut() }
                defer { timer.cancel() }
                try await readiness.futureResult.get()
            }
            return NIOTransport(channel: channel, queue: queue)
        } catch {
            channel.close(promise: nil)
            // TCP is up: whatever failed now failed in the TLS handshake (a certificate, trust roots, a peer
            // that does not speak TLS).
            let classified = classify(error, url: url)
            guard url.secure, classified.cause != .timeout, classified.cause != .tls else { throw classified }
            throw ConnectError(url: url, cause: .tls, detail: "the TLS handshake failed: \(error)")
        }
    }

    /// The transport of a connection a listener accepted (`TransportServer`), on its event loop, with the
    /// `InboundQueue` the channel initializer added.
    static func accepted(_ channel: any Channel) async throws -> NIOTransport {
        let loop = channel.eventLoop
        let queue = try await loop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: InboundQueue.self), eventLoop: loop)
        }.get()
        return NIOTransport(channel: channel, queue: queue)
    }

    /// What TLS a connection to `url` gets: none for `ws://`; for `wss://` the client context, which must be there,
    /// and the host name for SNI and the certificate check (none for an address literal).
    static func clientTLS(for url: WebSocketURL, _ tls: NIOSSLContext?) throws(ConnectError) -> ClientTLS? {
        guard url.secure else { return nil }
        guard let tls else { throw ConnectError(url: url, cause: .tls, detail: "no TLS settings for a wss:// URL") }
        return ClientTLS(context: tls, serverHostname: url.hostIsAddressLiteral ? nil : url.host)
    }

    struct ClientTLS: Sendable {
        let context: NIOSSLContext
        let serverHostname: String?

        /// The handler for one connection (NIOSSL checks the name when it is made).
        func handler() throws -> NIOSSLClientHandler { try NIOSSLClientHandler(context: context, serverHostname: serverHostname) }
    }

    /// Sorts a connect or TLS error by its cause.
    static func classify(_ error: any Error, url: WebSocketURL) -> ConnectError {
        func make(_ cause: ConnectError.Cause, _ detail: String) -> ConnectError { ConnectError(url: url, cause: cause, detail: detail) }
        switch error {
        case let error as NIOConnectionError:
            if error.connectionErrors.isEmpty, let dns = error.dnsAError ?? error.dnsAAAAError {
                return make(.dns, "the host name \(url.host.debugDescription) does not resolve (\(dns))")
            }
            let causes = error.connectionErrors.map { classify($0.error, url: url) }
            if let refused = causes.first(where: { $0.cause == .refused }) { return refused }
            return causes.first ?? make(.dns, "the host name \(url.host.debugDescription) resolves to no address")
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            return make(.refused, "connection refused: nothing listens on port \(url.port)")
        case let error as ChannelError:
            if case .connectTimeout = error { return make(.timeout, "no connection within the connect timeout") }
            if case .eof = error { return make(.tls, "the server closed the connection during the TLS handshake") }
            return make(.network, "\(error)")
        case is SocketAddressError:
            return make(.dns, "the host name \(url.host.debugDescription) does not resolve (\(error))")
        case is NIOSSLError, is BoringSSLError:
            return make(.tls, "the TLS handshake failed: \(error)")
        default:
            return make(.network, "\(error)")
        }
    }

    // MARK: ByteTransport

    /// On the event loop's clock: the machine's, or a simulation's virtual time when the channel is simulated.
    public var elapsed: Duration { Duration(channel.eventLoop.now - start) }

    /// Bytes handed to the channel at a time: what it queues for a peer that reads nothing stays near its high
    /// water mark plus one of these, not the whole of a 16 MiB message.
    static let writeChunk = 256 << 10

    public func write(_ bytes: [UInt8], until deadline: Duration) async -> Bool {
        var start = 0
        while start < bytes.count {
            guard !outputClosed else { return true }
            // `isWritable` may be read from any thread; only a full channel costs a hop to the event loop.
            if !channel.isWritable {
                let promise = channel.eventLoop.makePromise(of: Bool.self)
                let queue = queue, instant = self.start + TimeAmount(deadline)
                queue.eventLoop.execute { queue.value.whenWritable(before: instant, promise) }
                guard (try? await promise.futureResult.get()) ?? true else {
                    await abort() // The peer read nothing until the deadline: it does not get to hold our memory longer.
                    return false
                }
            }
            let end = min(bytes.count, start + Self.writeChunk)
            channel.writeAndFlush(ByteBuffer(bytes: bytes[start..<end]), promise: nil)
            start = end
        }
        return true
    }

    public func read(until deadline: Duration) async -> TransportInput {
        let instant = start + TimeAmount(deadline)
        let promise = channel.eventLoop.makePromise(of: TransportInput.self)
        let queue = queue
        queue.eventLoop.execute { queue.value.next(before: instant, promise) }
        return await withTaskCancellationHandler {
            (try? await promise.futureResult.get()) ?? .reset
        } onCancel: {
            queue.eventLoop.execute { queue.value.cancelWait() }
        }
    }

    public func close() async {
        guard !outputClosed else { return }
        outputClosed = true
        channel.close(mode: .output, promise: nil)
    }

    public func abort() async {
        outputClosed = true
        // SO_LINGER with a zero timeout turns close() into a reset.
        if let options = channel as? any SocketOptionProvider {
            try? await options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        channel.close(promise: nil)
    }

    /// Closes what is left of the connection and waits until the socket is gone.
    public func finish() async {
        outputClosed = true
        channel.close(promise: nil)
        try? await channel.closeFuture.get()
        if let connection {
            connection.close(promise: nil)
            try? await connection.closeFuture.get()
        }
    }
}

extension TimeAmount {
    /// Saturating at about 292 years either way: a duration from a file or the command line must not trap here.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, overflowAgain) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        self = .nanoseconds(overflow || overflowAgain ? (seconds < 0 ? .min : .max) : sum)
    }
}

extension Duration {
    init(_ amount: TimeAmount) { self = .nanoseconds(amount.nanoseconds) }
}
