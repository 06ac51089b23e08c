/// Why a server could not be reached, sorted by what the user can do about it. Each names the URL.
public struct ConnectError: Error, Sendable, CustomStringConvertible {
    public enum Cause: String, Sendable, Hashable {
        /// The host name did not resolve.
        case dns
        /// Nothing listens on that port.
        case refused
        /// No answer within the connect, TLS or handshake timeout.
        case timeout
        /// The TLS handshake failed (untrusted certificate, wrong name, not TLS at all).
        case tls
        /// Something answered, but not with a WebSocket upgrade.
        case notWebSocket = "not a WebSocket endpoint"
        /// The server does not take WebSockets over HTTP/2: it does not speak HTTP/2 (no SETTINGS, another ALPN
        /// choice), or it does not advertise `SETTINGS_ENABLE_CONNECT_PROTOCOL` (RFC 8441 §3).
        case http2 = "no WebSocket over HTTP/2 (RFC 8441)"
        /// Any other socket error.
        case network
    }

    public var url: WebSocketURL
    public var cause: Cause
    public var detail: String

    public init(url: WebSocketURL, cause: Cause, detail: String) {
        self.url = url
        self.cause = cause
        self.detail = detail
    }

    public var description: String { "cannot reach \(url): \(cause.rawValue): \(detail)" }
}
