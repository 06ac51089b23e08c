public import NIOCore
public import NIOPosix
import Transport

/// A TCP listener that hands every accepted connection, as a `ByteTransport`, to an async function: how the
/// scenario runner meets a client under test (the script then plays the server). Each connection runs in a task
/// of its own and is closed when its function returns. The same `ConnectionLimits` as `SessionServer`'s hold: how
/// many connections are served at once, and how much output is queued for a client before writes wait for it to
/// read (`NIOTransport.write`); its `messageMemory` budget is for what the function keeps per connection.
public final class TransportServer: Sendable {
    private let channel: any Channel
    private let connections: ConnectionSet
    public let host: String
    public let port: Int
    public let limits: ConnectionLimits

    private init(channel: any Channel, connections: ConnectionSet, host: String, port: Int, limits: ConnectionLimits) {
        self.channel = channel
        self.connections = connections
        self.host = host
        self.port = port
        self.limits = limits
    }

    /// Starts listening (port 0 picks a free port); `serve` runs once per connection.
    public static func start(
        host: String = "127.0.0.1", port: Int = 0, limits: ConnectionLimits = ConnectionLimits(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        serve: @escaping @Sendable (NIOTransport) async -> Void
    ) async throws -> TransportServer {
        let connections = ConnectionSet()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: SessionChannelHandler.waterMark(limits))
            .childChannelInitializer { channel in
                guard connections.insert(channel, limit: limits.maxConnections) else {
                    return channel.eventLoop.makeCompletedFuture { channel.close(promise: nil) }
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(InboundQueue(eventLoop: channel.eventLoop, readiness: nil))
                    Task {
                        guard let transport = try? await NIOTransport.accepted(channel) else { return channel.close(promise: nil) }
                        await serve(transport)
                        await transport.finish()
                    }
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        return TransportServer(
            channel: channel, connections: connections, host: host, port: channel.localAddress?.port ?? port,
            limits: limits)
    }

    /// Stops accepting connections and closes the open ones.
    public func stop() async {
        try? await channel.close()
        await connections.closeAll()
    }

    /// Waits until the listener is closed.
    public func waitUntilStopped() async {
        try? await channel.closeFuture.get()
    }
}
