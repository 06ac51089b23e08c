import ArgumentParser
import Logging
import NIOSSL
import ReferenceServer
import WebSocketNIO
import WebSocketServer

/// `wsspec serve`: the reference echo server over TCP (or TLS), a testee for other tools.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the reference echo server (RFC 6455, fully conformant; over HTTP/1.1 and HTTP/2, RFC 8441).")

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 9001

    @Option(name: .customLong("tls-cert"), help: "A PEM certificate chain: serve wss:// (needs --tls-key).")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "The PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("ping-interval"), help: "Ping every so often (e.g. 5s); no pings without it.")
    var pingInterval: DurationArgument?

    @Option(name: .customLong("pong-timeout"), help: "Close (1001) when a ping is not answered within this time.")
    var pongTimeout = DurationArgument(argument: "10s")!

    @Option(name: .customLong("close-timeout"), help: "Drop a peer that does not answer our close frame within this time.")
    var closeTimeout = DurationArgument(argument: "5s")!

    @Option(help: "The subprotocol the server speaks.")
    var subprotocol = "wsspec.echo"

    @Option(name: .customLong("max-connections"), help: "Connections served at once; past it a new one gets 503 and is closed.")
    var maxConnections = ConnectionLimits().maxConnections

    @Option(name: .customLong("handshake-timeout"), help: "From connect to the upgrade answer; a client still sending its request then gets 408.")
    var handshakeTimeout = DurationArgument(duration: ConnectionLimits().handshakeTimeout)

    @Option(name: .customLong("idle-timeout"), help: "Close (1001) a connection on which nothing was read or written for this long.")
    var idleTimeout = DurationArgument(duration: ConnectionLimits().idleTimeout)

    @Flag(help: "Log every connection error.")
    var verbose = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard (1...1_000_000).contains(maxConnections) else { throw ValidationError("--max-connections must be from 1 to 1000000") }
        guard handshakeTimeout.duration > .zero else { throw ValidationError("--handshake-timeout must be more than 0") }
        guard idleTimeout.duration > .zero else { throw ValidationError("--idle-timeout must be more than 0") }
        if (tlsCertificate == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        try ServerBehaviourOptions.validateSubprotocol(subprotocol)
    }

    func run() async throws {
        var configuration = EchoServerConfiguration()
        configuration.pingInterval = pingInterval?.duration
        configuration.pongTimeout = pongTimeout.duration
        configuration.closeTimeout = closeTimeout.duration
        configuration.subprotocols = [subprotocol]
        var logger = Logger(label: "wsspec.serve")
        logger.logLevel = verbose ? .debug : .info
        var tls: NIOSSLContext?
        if let tlsCertificate {
            do {
                // Browsers use WebSockets over HTTP/2 (RFC 8441) when ALPN agrees on h2; HTTP/1.1 clients still get theirs.
                tls = try TLSSettings.serverContext(
                    certificateChain: tlsCertificate, privateKey: tlsKey ?? "", applicationProtocols: ["h2", "http/1.1"])
            } catch {
                throw RunFailure.usage(error.description)
            }
        }
        var limits = ConnectionLimits()
        limits.maxConnections = maxConnections
        limits.handshakeTimeout = handshakeTimeout.duration
        limits.idleTimeout = idleTimeout.duration
        let server: SessionServer
        do {
            server = try await SessionServer.referenceServer(
                configuration, host: host, port: port, tls: tls,
                limits: limits, logger: logger)
        } catch {
            throw RunFailure.unreachable("cannot listen on \(host):\(port): \(error)")
        }
        Console.out("serving the reference echo server on \(server.url(secure: tls != nil)) (HTTP/1.1, and HTTP/2 by RFC 8441)")
        await server.waitUntilStopped()
    }
}
