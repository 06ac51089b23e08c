public import NIOCore
public import Transport
import WebSocketCore
public import WireSim

/// A SwiftNIO `Channel` at one end of a simulated link (the server's, side `.b`, unless told otherwise): what NIO's
/// TCP channel is to a socket. Writes become link segments when flushed, the peer's bytes arrive as `ByteBuffer` reads, a FIN
/// is an input half-close (when the channel allows one) and a reset is an error and a close. Its event loop
/// is the simulation's (`SimulationEventLoop`), so everything it does happens on the driving thread.
///
/// Reads are delivered as they arrive rather than on `read()`: the link's segments are the only buffer.
public final class SimulatedChannel: Channel, ChannelCore, LinkEndpoint, SimulatedServerEndpoint, @unchecked Sendable {
    // Unchecked: every mutable field is touched on the driving thread only (NIO's own rule for a channel's
    // state: on its event loop).
    public let link: SimulatedLink
    /// The end it is: `.b` for a server, `.a` for a client.
    public let side: SimulatedLink.Side
    private let loop: SimulationEventLoop
    public var eventLoop: any EventLoop { loop }
    public let allocator = ByteBufferAllocator()
    private let closePromise: EventLoopPromise<Void>
    public var closeFuture: EventLoopFuture<Void> { closePromise.futureResult }
    private var _pipeline: ChannelPipeline!
    public var pipeline: ChannelPipeline { _pipeline }
    public let localAddress: SocketAddress?
    public let remoteAddress: SocketAddress?
    public var parent: (any Channel)? { nil }
    public var isWritable: Bool { isOpen && !outputClosed }
    public var isActive: Bool { isOpen }
    public var _channelCore: any ChannelCore { self }
    public var syncOptions: (any NIOSynchronousChannelOptions)? { nil }

    private var isOpen = true
    private var outputClosed = false
    private var inputClosed = false
    private var allowRemoteHalfClosure = false
    private var pending: [(bytes: ByteBuffer, promise: EventLoopPromise<Void>?)] = []
    /// What arrived before the pipeline was set up and the channel activated.
    private var isActivated = false
    private var early: [[UInt8]] = []
    private var earlyEndOfStream = false
    private var watch: InboundWatch?
    private var answerHold: TimeHold?
    private var answered = false

    /// Attaches a channel to `side` of `link`; call `activate()` on the driving thread before use.
    public init(link: SimulatedLink, eventLoop: SimulationEventLoop, side: SimulatedLink.Side = .b) {
        self.link = link
        self.side = side
        loop = eventLoop
        closePromise = eventLoop.makePromise()
        let server = try? SocketAddress(ipAddress: "127.0.0.1", port: 80)
        let client = try? SocketAddress(ipAddress: "127.0.0.1", port: 50_000)
        (localAddress, remoteAddress) = side == .b ? (server, client) : (client, server)
        _pipeline = ChannelPipeline(channel: self)
        link.attach(side, self)
    }

    /// Registers the channel and makes it active, as an accepted connection is (on the driving thread).
    public func activate() {
        guard !isActivated else { return }
        isActivated = true
        pipeline.syncOperations.fireChannelRegistered()
        pipeline.syncOperations.fireChannelActive()
        for bytes in early { linkDidReceive(bytes) }
        early = []
        if earlyEndOfStream { linkDidReachEndOfStream() }
    }

    /// Ends the connection from this side (a reset) and closes the channel, on the driving thread: what the
    /// connection started on the simulation unwinds when it runs next.
    public func shutDown() {
        link.simulation.post { [self] in
            link.reset(from: side)
            close(promise: nil)
        }
    }

    /// Holds virtual time still (`Simulation.holdTime`) from the moment a WebSocket upgrade request has
    /// arrived whole until the channel writes its first bytes (the 101 or a refusal) or closes. For a
    /// framework that decides an upgrade off the driving thread (Hummingbird does so in an unstructured
    /// `Task`): a client's timeout must not pass while the decision is being made. Only a complete request
    /// that asks for an upgrade and carries no body holds: those are the ones a server answers at once, so a
    /// request the server is still reading (a partial head, a body to come) never holds time.
    public func holdTimeForUpgradeAnswer(why: String) {
        watch = InboundWatch { [self] in
            guard !answered else { return }
            answerHold = loop.simulation.holdTime(why)
        }
    }
    /// The channel wrote (or closed): a hold on its answer ends.
    private func answer() {
        answered = true
        answerHold?.release()
        answerHold = nil
    }

    // MARK: Options

    public func setOption<Option: ChannelOption>(_ option: Option, value: Option.Value) -> EventLoopFuture<Void> {
        if let value = value as? Bool, option is ChannelOptions.Types.AllowRemoteHalfClosureOption {
            allowRemoteHalfClosure = value
        }
        return loop.makeSucceededVoidFuture()
    }

    public func getOption<Option: ChannelOption>(_ option: Option) -> EventLoopFuture<Option.Value> {
        if option is ChannelOptions.Types.AllowRemoteHalfClosureOption, let value = allowRemoteHalfClosure as? Option.Value {
            return loop.makeSucceededFuture(value)
        }
        // Reads are delivered as they arrive: an HTTP/2 stream asks its connection's channel, and reads as it does.
        if option is ChannelOptions.Types.AutoReadOption, let value = true as? Option.Value {
            return loop.makeSucceededFuture(value)
        }
        return loop.makeFailedFuture(ChannelError.operationUnsupported)
    }

    // MARK: The link's side

    public func linkDidReceive(_ bytes: [UInt8]) {
        guard isActivated else { return early.append(bytes) }
        guard isOpen, !inputClosed else { return }
        if let watch, watch.sees(bytes) { self.watch = nil }
        pipeline.syncOperations.fireChannelRead(NIOAny(allocator.buffer(bytes: bytes)))
        pipeline.syncOperations.fireChannelReadComplete()
    }

    public func linkDidReachEndOfStream() {
        guard isActivated else { return earlyEndOfStream = true }
        guard isOpen, !inputClosed else { return }
        inputClosed = true
        if allowRemoteHalfClosure {
            pipeline.syncOperations.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        } else {
            close0(error: ChannelError.eof, mode: .all, promise: nil)
        }
    }

    public func linkDidReset() {
        guard isOpen else { return }
        pipeline.syncOperations.fireErrorCaught(IOError(errnoCode: 104, reason: "connection reset by peer"))
        close0(error: ChannelError.eof, mode: .all, promise: nil)
    }

    // MARK: ChannelCore

    public func localAddress0() throws -> SocketAddress {
        guard let localAddress else { throw ChannelError.operationUnsupported }
        return localAddress
    }

    public func remoteAddress0() throws -> SocketAddress {
        guard let remoteAddress else { throw ChannelError.operationUnsupported }
        return remoteAddress
    }

    public func register0(promise: EventLoopPromise<Void>?) { promise?.succeed() }
    public func registerAlreadyConfigured0(promise: EventLoopPromise<Void>?) { promise?.succeed() }
    public func bind0(to: SocketAddress, promise: EventLoopPromise<Void>?) { promise?.fail(ChannelError.operationUnsupported) }
    public func connect0(to: SocketAddress, promise: EventLoopPromise<Void>?) { promise?.fail(ChannelError.operationUnsupported) }

    public func write0(_ data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard isOpen, !outputClosed else { return promise?.fail(ChannelError.ioOnClosedChannel) ?? () }
        switch unwrapData(data, as: IOData.self) {
        case .byteBuffer(let buffer): pending.append((buffer, promise))
        case .fileRegion: promise?.fail(ChannelError.operationUnsupported)
        }
    }

    public func flush0() {
        let flushed = pending
        pending = []
        for (buffer, promise) in flushed {
            if buffer.readableBytes > 0 {
                link.send(from: side, Array(buffer.readableBytesView))
                answer()
            }
            promise?.succeed()
        }
    }

    public func read0() {}

    public func close0(error: any Error, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard isOpen else { return promise?.fail(ChannelError.alreadyClosed) ?? () }
        if mode != .input { answer() }
        switch mode {
        case .output:
            if !outputClosed {
                flush0()
                outputClosed = true
                link.shutdownWrite(from: side)
                pipeline.syncOperations.fireUserInboundEventTriggered(ChannelEvent.outputClosed)
            }
            promise?.succeed()
        case .input:
            inputClosed = true
            promise?.succeed()
        case .all:
            isOpen = false
            for (_, pendingPromise) in pending { pendingPromise?.fail(ChannelError.ioOnClosedChannel) }
            pending = []
            if !outputClosed {
                outputClosed = true
                link.shutdownWrite(from: side)
            }
            promise?.succeed()
            pipeline.syncOperations.fireChannelInactive()
            pipeline.syncOperations.fireChannelUnregistered()
            // Later, as NIO's channels do: the caller may still be walking the pipeline.
            loop.execute { [self] in
                removeHandlers(pipeline: pipeline)
                closePromise.succeed()
            }
        }
    }

    public func triggerUserOutboundEvent0(_ event: Any, promise: EventLoopPromise<Void>?) {
        promise?.fail(ChannelError.operationUnsupported)
    }

    /// What reaches the end of the pipeline unread is dropped, as on a socket's channel.
    public func channelRead0(_ data: NIOAny) {}
    public func errorCaught0(error: any Error) {}
}

/// Watches the inbound bytes for the end of the first request head (reading at most 64 KiB of them, each
/// once), and calls `found` if that request asks for an upgrade and has no body.
private final class InboundWatch {
    private var parser = HTTPHeadParser(maxHeadSize: 64 * 1024)
    private let found: () -> Void

    init(found: @escaping () -> Void) { self.found = found }

    /// True once the watch is over: the head is in (whatever it asked), or the bytes are not an HTTP head.
    func sees(_ bytes: [UInt8]) -> Bool {
        let head: [UInt8]
        do {
            guard let parsed = try parser.append(bytes) else { return false }
            head = parsed.head
        } catch {
            return true
        }
        guard let request = try? HTTPHeadParser.parseRequest(head) else { return true }
        let headers = request.headers
        let asksForUpgrade = !headers["upgrade"].isEmpty
        let hasBody =
            !headers["transfer-encoding"].isEmpty || headers["content-length"].contains { Int($0) != 0 }
        if asksForUpgrade, !hasBody { found() }
        return true
    }
}
