/// The server's side of the opening handshake up to an open `Connection`, sans-IO and written once for every
/// server: it reads the request head (bounded), has the caller decide on the request (the handshake, and a
/// router's routes and guards), and turns an accepted request into a connection that already holds the bytes
/// that followed the head.
public struct ServerUpgrade: Sendable {
    public enum Step {
        /// The request head is not complete yet.
        case needMore
        /// Write `response`, then speak WebSocket on `connection`: the bytes after the head are in it, so the
        /// next `nextEvent()` may already return one.
        case upgraded(response: [UInt8], connection: Connection, negotiated: NegotiatedHandshake)
        /// Write `response`, then close the transport.
        case refused(response: [UInt8])
    }

    private var parser: HTTPHeadParser

    public init(maxHeadSize: Int) { parser = HTTPHeadParser(maxHeadSize: maxHeadSize) }

    /// Takes bytes of the request. A head over the size limit is refused with 431, one that is not HTTP with
    /// 400; any other request is `decide`d on, and an accepted one opens a server connection configured as
    /// `configuration` says, with the permessage-deflate agreement the decision made.
    public mutating func receive(
        _ bytes: [UInt8], configuration: Connection.Configuration,
        decide: (HTTPRequestHead) -> ServerHandshake.Decision
    ) -> Step {
        let received: (head: [UInt8], rest: [UInt8])?
        do {
            received = try parser.append(bytes)
        } catch {
            return .refused(response: ServerHandshake.refusal(status: 431, reason: error.description).bytes)
        }
        guard let received else { return .needMore }
        let request: HTTPRequestHead
        do {
            request = try HTTPHeadParser.parseRequest(received.head)
        } catch {
            return .refused(response: ServerHandshake.refusal(status: 400, reason: error.description).bytes)
        }
        let decision = decide(request)
        guard case .accept(_, let negotiated) = decision else { return .refused(response: decision.bytes) }
        let connection = negotiated.connection(role: .server, configuration: configuration, holding: received.rest)
        return .upgraded(response: decision.bytes, connection: connection, negotiated: negotiated)
    }
}
