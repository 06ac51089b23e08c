public import WebSocketCore

/// Why a test client's operation did not give what was asked for.
public enum ClientSessionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server turned the upgrade down with this HTTP status (404 no route, 401/403 a guard, 400/426 a
    /// malformed request); `reason` is the response body.
    case upgradeRefused(status: Int, reason: String)
    /// The server's answer to the upgrade is not a valid WebSocket handshake.
    case invalidHandshake(HandshakeResponseFailure)
    /// The server broke the protocol; the client failed the connection with the violation's code.
    case protocolViolation(ProtocolViolation)
    /// The connection is closed (or closing); `closeFrame` is the server's close frame, if one came.
    case closed(closeFrame: ClosePayload?, closure: ConnectionClosure?)
    /// Nothing arrived within the time allowed.
    case timedOut(after: Duration)

    /// The HTTP status of a refused upgrade.
    public var status: Int? {
        if case .upgradeRefused(let status, _) = self { status } else { nil }
    }

    public var description: String {
        switch self {
        case .upgradeRefused(let status, let reason): "the server refused the upgrade with HTTP \(status)\(reason.isEmpty ? "" : ": \(reason)")"
        case .invalidHandshake(let failure): "invalid handshake response: \(failure)"
        case .protocolViolation(let violation): "the server broke the protocol: \(violation)"
        case .closed(let frame, let closure):
            "the connection is closed" + (frame.map { " (server's close frame: \($0))" } ?? "") + (closure.map { ", \($0)" } ?? "")
        case .timedOut(let duration): "nothing arrived within \(duration)"
        }
    }
}
