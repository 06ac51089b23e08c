public import Logging
public import NIOSSL
public import WebSocketNIO
public import WebSocketRoutes

extension SessionServer {
    /// An application's routes over TCP (or TLS): the same handlers that `WebSocketTesting` runs in-process.
    public static func start(
        router: WebSocketRouter, host: String = "127.0.0.1", port: Int = 0, tls: NIOSSLContext? = nil,
        limits: ConnectionLimits = ConnectionLimits(),
        logger: Logger = Logger(label: "wsspec.server")
    ) async throws -> SessionServer {
        try await start(host: host, port: port, tls: tls, limits: limits, logger: logger) { router.makeSession() }
    }
}
