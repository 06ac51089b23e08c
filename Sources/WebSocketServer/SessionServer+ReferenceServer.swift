public import Logging
public import NIOSSL
public import ReferenceServer
public import WebSocketNIO

extension SessionServer {
    /// The reference echo server with `configuration` over TCP (or TLS): what `wsspec serve` runs. It takes WebSockets
    /// over HTTP/2 (RFC 8441) on the same port unless `http2` is false.
    public static func referenceServer(
        _ configuration: EchoServerConfiguration, host: String = "127.0.0.1", port: Int = 0,
        tls: NIOSSLContext? = nil, http2: Bool = true, limits: ConnectionLimits = ConnectionLimits(),
        logger: Logger = Logger(label: "wsspec.server")
    ) async throws -> SessionServer {
        try await start(host: host, port: port, tls: tls, http2: http2, limits: limits, logger: logger) {
            EchoServer(configuration: configuration)
        }
    }
}
