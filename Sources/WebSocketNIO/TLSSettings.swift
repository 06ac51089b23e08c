import NIOCore
public import NIOSSL

/// How a `wss://` client checks the server's certificate.
public enum ClientTrust: Sendable, Hashable {
    /// The system's trust store.
    case system
    /// Certificates signed by the CAs in this PEM file (a test CA, a company CA).
    case caFile(String)
    /// No verification at all: for self-signed test servers only.
    case insecure
}

/// A TLS setting that could not be loaded (a missing or unreadable PEM file).
public struct TLSSetupError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// TLS contexts from the command line's settings.
public enum TLSSettings {
    /// Peers are given this long to answer our close_notify before the socket closes anyway.
    static let shutdownTimeout = TimeAmount.seconds(1)
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996); swift-nio-ssl's default still allows them.
    static let minimumVersion = TLSVersion.tlsv12

    /// - Parameter applicationProtocols: what the client offers in ALPN (`["h2"]` for WebSocket over HTTP/2); none by
    ///   default, as an HTTP/1.1 WebSocket client offers none.
    public static func clientContext(_ trust: ClientTrust, applicationProtocols: [String] = []) throws(TLSSetupError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.applicationProtocols = applicationProtocols
        configuration.minimumTLSVersion = minimumVersion
        configuration.shutdownTimeout = shutdownTimeout
        switch trust {
        case .system:
            break
        case .caFile(let path):
            configuration.trustRoots = .certificates(try load("CA file", path) { try NIOSSLCertificate.fromPEMFile($0) })
        case .insecure:
            configuration.certificateVerification = .none
        }
        return try make(configuration)
    }

    /// A server context from a PEM certificate chain and its PEM private key.
    /// - Parameter applicationProtocols: what the server agrees to in ALPN, in its order of preference: a server that
    ///   accepts WebSockets over HTTP/2 as well offers `["h2", "http/1.1"]`.
    public static func serverContext(
        certificateChain: String, privateKey: String, applicationProtocols: [String] = []
    ) throws(TLSSetupError) -> NIOSSLContext {
        let chain = try load("certificate file", certificateChain) { try NIOSSLCertificate.fromPEMFile($0) }
        let key = try load("private key file", privateKey) { try NIOSSLPrivateKey(file: $0, format: .pem) }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key))
        configuration.minimumTLSVersion = minimumVersion
        configuration.shutdownTimeout = shutdownTimeout
        configuration.applicationProtocols = applicationProtocols
        return try make(configuration)
    }

    private static func load<T>(_ what: String, _ path: String, _ read: (String) throws -> T) throws(TLSSetupError) -> T {
        do {
            return try read(path)
        } catch {
            throw TLSSetupError(description: "cannot load the \(what) \(path.debugDescription): \(error)")
        }
    }

    private static func make(_ configuration: TLSConfiguration) throws(TLSSetupError) -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSetupError(description: "cannot set up TLS: \(error)")
        }
    }
}
