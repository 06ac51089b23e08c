/// The client's side of the opening handshake up to an open `Connection`, sans-IO and written once for every
/// client: after the request is sent, it reads the response head (bounded), validates a 101 against the
/// request as sent, and turns it into a connection that already holds the bytes that followed the head.
public struct ClientUpgrade {
    public enum Step {
        /// The response head is not complete yet.
        case needMore
        /// Speak WebSocket on `connection`: the bytes after the head are in it, so the next `nextEvent()` may
        /// already return one.
        case upgraded(response: HTTPResponseHead, negotiated: NegotiatedHandshake, connection: Connection)
        /// The server answered with another status; `body` holds what followed the head so far.
        case refused(response: HTTPResponseHead, body: [UInt8])
        /// The answer is not an HTTP response, or its 101 does not open a connection for this request.
        case invalid(Failure)
    }

    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case notHTTP(HTTPParseError)
        case invalidResponse(HandshakeResponseFailure)

        public var description: String {
            switch self {
            case .notHTTP(let error): "the answer is not an HTTP response (\(error))"
            case .invalidResponse(let failure): "the 101 response is not a valid upgrade: \(failure)"
            }
        }
    }

    public let request: ClientHandshakeRequest
    private var parser: HTTPHeadParser

    public init(request: ClientHandshakeRequest, maxHeadSize: Int = 16 * 1024) {
        self.request = request
        parser = HTTPHeadParser(maxHeadSize: maxHeadSize)
    }

    /// Takes bytes of the response. A valid 101 opens a client connection configured as `configuration`
    /// says, with the permessage-deflate agreement the response made and mask keys from `maskKeys`.
    public mutating func receive(_ bytes: [UInt8], configuration: Connection.Configuration,
                                 maskKeys: any MaskKeySource) -> Step {
        let response: HTTPResponseHead
        let rest: [UInt8]
        do {
            guard let received = try parser.append(bytes) else { return .needMore }
            response = try HTTPHeadParser.parseResponse(received.head)
            rest = received.rest
        } catch {
            return .invalid(.notHTTP(error))
        }
        guard response.status == 101 else { return .refused(response: response, body: rest) }
        let negotiated: NegotiatedHandshake
        do {
            negotiated = try ClientHandshakeValidator.validate(response, for: request)
        } catch {
            return .invalid(.invalidResponse(error))
        }
        var configuration = configuration
        configuration.permessageDeflate = negotiated.permessageDeflate
        var connection = Connection(role: .client, configuration: configuration, maskKeys: maskKeys)
        if !rest.isEmpty { connection.append(rest) }
        return .upgraded(response: response, negotiated: negotiated, connection: connection)
    }
}
