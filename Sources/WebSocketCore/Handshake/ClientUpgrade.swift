/// The client's side of the opening handshake up to an open `Connection`, sans-IO and written once for every
/// client: after the request is sent, it reads the response head (bounded), validates a 101 against the
/// request as sent, and turns it into a connection that already holds the bytes that followed the head.
/// Every other answer comes back whole, so that a harness can judge it.
public struct ClientUpgrade {
    /// A response head as it came, parsed, and the bytes that followed it so far.
    public struct Answer: Sendable, Hashable {
        public var head: [UInt8]
        public var response: HTTPResponseHead
        public var rest: [UInt8]

        public init(head: [UInt8], response: HTTPResponseHead, rest: [UInt8]) {
            self.head = head
            self.response = response
            self.rest = rest
        }
    }

    public enum Step {
        /// The response head is not complete yet.
        case needMore
        /// A 101 that opens the connection: the bytes after the head are in `connection`, so its next
        /// `nextEvent()` may already return one.
        case upgraded(Answer, negotiated: NegotiatedHandshake, connection: Connection)
        /// Another status: the server refused.
        case refused(Answer)
        /// A 101 that does not open a connection for this request (its Accept, Upgrade, Connection,
        /// subprotocol or extensions).
        case invalidUpgrade(Answer, HandshakeResponseFailure)
        /// No HTTP response: `head` holds the bytes when a head was complete but is not HTTP.
        case notHTTP(HTTPParseError, head: [UInt8]?)
    }

    public let request: ClientHandshakeRequest
    private var parser: HTTPHeadParser

    public init(request: ClientHandshakeRequest, maxHeadSize: Int = 16 * 1024) {
        self.request = request
        parser = HTTPHeadParser(maxHeadSize: maxHeadSize)
    }

    /// Takes bytes of the response. A valid 101 opens a client connection configured as `configuration`
    /// says, with the permessage-deflate agreement the response made and mask keys from `maskKeys`.
    public mutating func receive(
        _ bytes: [UInt8], configuration: Connection.Configuration,
        maskKeys: any MaskKeySource
    ) -> Step {
        let received: (head: [UInt8], rest: [UInt8])
        do {
            guard let complete = try parser.append(bytes) else { return .needMore }
            received = complete
        } catch {
            return .notHTTP(error, head: nil)
        }
        let response: HTTPResponseHead
        do {
            response = try HTTPHeadParser.parseResponse(received.head)
        } catch {
            return .notHTTP(error, head: received.head)
        }
        let answer = Answer(head: received.head, response: response, rest: received.rest)
        guard response.status == 101 else { return .refused(answer) }
        let negotiated: NegotiatedHandshake
        do {
            negotiated = try ClientHandshakeValidator.validate(response, for: request)
        } catch {
            return .invalidUpgrade(answer, error)
        }
        let connection = negotiated.connection(
            role: .client, configuration: configuration, maskKeys: maskKeys, holding: received.rest)
        return .upgraded(answer, negotiated: negotiated, connection: connection)
    }
}
