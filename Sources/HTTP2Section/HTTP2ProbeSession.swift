import Scenario
import Transport
import WebSocketCore

/// One case's connection as the section's probes use it: frames sorted by stream, extended CONNECTs opened from the
/// run's request with a case's edits, and WebSockets driven over their streams by the core's client `Connection`.
final class HTTP2ProbeSession {
    typealias Field = (name: String, value: String)

    /// What a stream saw next.
    enum StreamEvent {
        case headers([Field], endStream: Bool)
        case data([UInt8], endStream: Bool)
        case reset(UInt32)
        /// The connection ended: GOAWAY (its code), or the transport (as a sentence).
        case goAway(UInt32)
        case connectionEnded(String)
        case timedOut
    }

    /// How an extended CONNECT was answered.
    enum Opening {
        case accepted(WebSocketStream, fields: [Field])
        /// A 2xx the client cannot take (its extensions or subprotocol), as a sentence.
        case acceptedBadly([Field], String)
        case refused(status: Int, fields: [Field], endStream: Bool)
        case other(StreamEvent)
    }

    let connection: HTTP2ProbeConnection
    let parameters: RunParameters
    let scheme: String
    let seed: UInt64
    /// Each stream's events not read yet, and where its reading stands: taken from the front without moving the rest.
    private var inbox: [UInt32: (events: [StreamEvent], head: Int)] = [:]
    /// DATA octets kept for streams the case has not read yet: past `RunParameters.maxReceivedBytes` the case stops
    /// reading (a server that floods a stream nobody reads holds no more of our memory).
    private var keptBytes = 0
    private(set) var goAway: UInt32?
    private(set) var connectionEnd: String?
    /// The request and response of the first extended CONNECT, for the report.
    private(set) var handshake: HandshakeRecord?

    init(connection: HTTP2ProbeConnection, parameters: RunParameters, scheme: String, seed: UInt64) {
        self.connection = connection
        self.parameters = parameters
        self.scheme = scheme
        self.seed = seed
    }

    var elapsed: Duration { connection.transport.elapsed }
    func deadline(_ after: Duration) -> Duration { elapsed + after }

    /// The next event of `stream`: what was kept for it, else frames read (others' kept) until one is its own.
    func next(on stream: UInt32, until deadline: Duration) async -> StreamEvent {
        while true {
            if let kept = inbox[stream], kept.head < kept.events.count {
                let event = kept.events[kept.head]
                if case .data(let bytes, _) = event { keptBytes -= bytes.count }
                if kept.head + 1 == kept.events.count {
                    inbox[stream] = nil
                } else {
                    inbox[stream]?.head += 1
                }
                return event
            }
            if let goAway { return .goAway(goAway) }
            if let connectionEnd { return .connectionEnded(connectionEnd) }
            guard await pump(until: deadline) else { return .timedOut }
        }
    }

    /// Reads one event and files it; false at the deadline.
    @discardableResult
    func pump(until deadline: Duration) async -> Bool {
        switch await connection.next(until: deadline) {
        case .ended(.timedOut): return false
        case .ended(let input):
            connectionEnd = input == .reset ? "the connection was reset" : "the server closed the connection"
        case .broken(let why):
            connectionEnd = "the server broke HTTP/2's framing: \(why)"
        case .frame(let frame, let fields):
            switch frame.kind {
            case .headers: keep(.headers(fields ?? [], endStream: frame.has(HTTP2RawFrame.endStream)), on: frame.stream)
            case .data:
                let bytes = Array(frame.dataContent ?? [])
                keptBytes += bytes.count
                guard keptBytes <= parameters.maxReceivedBytes else {
                    connectionEnd = "the server sent more than \(parameters.maxReceivedBytes) octets the case did not read"
                    return true
                }
                keep(.data(bytes, endStream: frame.has(HTTP2RawFrame.endStream)), on: frame.stream)
            case .rstStream: keep(.reset(frame.errorCode ?? 0), on: frame.stream)
            case .goAway: goAway = frame.errorCode ?? 0
            default: break
            }
        }
        return true
    }

    private func keep(_ event: StreamEvent, on stream: UInt32) {
        inbox[stream, default: ([], 0)].events.append(event)
    }

    /// Reads until the server's first SETTINGS (the server's preface, RFC 9113 §3.4), or the deadline.
    func awaitServerSettings(until deadline: Duration) async -> Bool {
        while connection.serverSettings.isEmpty {
            if goAway != nil || connectionEnd != nil { return false }
            guard await pump(until: deadline) else { return false }
        }
        return true
    }

    /// The valid request this run would send, as a client request and as the header list.
    func request(extensions: [ExtensionOffer] = []) -> ClientHandshakeRequest {
        var random = SplitMix64(seed: seed)
        return parameters.standardRequest(
            nonce: (0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) }, extensions: extensions)
    }

    /// Opens an extended CONNECT on a new stream, its header list changed by `edits`, and reads the answer.
    func open(_ edits: [RequestEdit] = [], extensions: [ExtensionOffer] = []) async -> (stream: UInt32, opening: Opening) {
        let request = request(extensions: extensions)
        let fields = Self.apply(edits, to: ExtendedConnect.requestFields(for: request, scheme: scheme))
        let stream = connection.newStream()
        await connection.sendHeaders(fields, stream: stream, until: deadline(parameters.handshakeTimeout))
        let answer = await next(on: stream, until: deadline(parameters.handshakeTimeout))
        if handshake == nil {
            var record = HandshakeRecord(request: ExtendedConnect.text(of: fields), opening: .http2ExtendedConnect)
            if case .headers(let response, _) = answer {
                record.response = ExtendedConnect.text(of: response)
                record.status = response.first { $0.name == ":status" }.flatMap { Int($0.value) }
            }
            handshake = record
        }
        guard case .headers(let response, let endStream) = answer else { return (stream, .other(answer)) }
        let head: HTTPResponseHead
        do {
            head = try ExtendedConnect.responseHead(fromFields: response)
        } catch {
            return (stream, .acceptedBadly(response, "its response has no valid :status (\(error))"))
        }
        guard (200..<300).contains(head.status) else { return (stream, .refused(status: head.status, fields: response, endStream: endStream)) }
        do {
            let negotiated = try ExtendedConnect.validate(head, for: request)
            let webSocket = negotiated.connection(
                role: .client, configuration: Connection.Configuration(), maskKeys: SeededMaskKeySource(seed: seed &+ UInt64(stream)))
            return (
                stream, .accepted(WebSocketStream(session: self, stream: stream, connection: webSocket, negotiated: negotiated), fields: response)
            )
        } catch {
            return (stream, .acceptedBadly(response, "\(error)"))
        }
    }

    /// The header list with the case's edits made.
    static func apply(_ edits: [RequestEdit], to fields: [Field]) -> [Field] {
        var fields = fields
        for edit in edits {
            switch edit {
            case .remove(let name):
                fields.removeAll { $0.name == name }
            case .set(let name, let value):
                if let index = fields.firstIndex(where: { $0.name == name }) {
                    fields[index].value = value
                } else {
                    let end = fields.lastIndex { $0.name.hasPrefix(":") }.map { $0 + 1 } ?? 0
                    fields.insert((name, value), at: name.hasPrefix(":") ? end : fields.count)
                }
            case .append(let name, let value):
                fields.append((name, value))
            case .duplicate(let name):
                if let index = fields.firstIndex(where: { $0.name == name }) { fields.insert(fields[index], at: index + 1) }
            case .moveToEnd(let name):
                let moved = fields.filter { $0.name == name }
                fields.removeAll { $0.name == name }
                fields += moved
            case .uppercase(let name):
                for index in fields.indices where fields[index].name == name { fields[index].name = name.uppercased() }
            }
        }
        return fields
    }
}

/// A WebSocket on one stream of the probe's connection: the core's client `Connection` frames and reads it; its bytes
/// go in DATA frames.
final class WebSocketStream {
    /// What the WebSocket saw next.
    enum Event {
        case text(String)
        case binary([UInt8])
        case close(UInt16?)
        /// The server broke RFC 6455; the client failed the WebSocket.
        case violation(String)
        case endOfStream
        case reset(UInt32)
        case connectionEnded(String)
        case timedOut
    }

    private unowned let session: HTTP2ProbeSession
    let stream: UInt32
    let connection: Connection
    let negotiated: NegotiatedHandshake
    /// The server ended its side of the stream (END_STREAM).
    private(set) var ended = false

    init(session: HTTP2ProbeSession, stream: UInt32, connection: Connection, negotiated: NegotiatedHandshake) {
        self.session = session
        self.stream = stream
        self.connection = connection
        self.negotiated = negotiated
    }

    /// Sends what the connection has queued (a message, a close, pongs), in DATA frames of at most `chunk` octets.
    func flush(endStream: Bool = false, chunk: Int = .max, until deadline: Duration) async -> Bool {
        let bytes = connection.takeOutbound()
        guard !bytes.isEmpty || endStream else { return true }
        return await session.connection.sendData(bytes, stream: stream, endStream: endStream, chunk: chunk, until: deadline)
    }

    func send(text: String, until deadline: Duration) async -> Bool {
        try? connection.send(text: text)
        return await flush(until: deadline)
    }

    func send(binary: [UInt8], until deadline: Duration) async -> Bool {
        try? connection.send(binary: binary)
        return await flush(until: deadline)
    }

    func close(endStream: Bool = false, until deadline: Duration) async -> Bool {
        try? connection.close(code: .normalClosure)
        return await flush(endStream: endStream, until: deadline)
    }

    /// The next thing the WebSocket saw. Pings are answered and let pass.
    func next(until deadline: Duration) async -> Event {
        while true {
            while let event = connection.nextEvent() {
                _ = await flush(until: deadline)
                switch event {
                case .text(let text): return .text(text)
                case .binary(let bytes): return .binary(bytes)
                case .closeReceived(let payload): return .close(payload.code?.rawValue)
                case .invalidCloseReceived: return .violation("an invalid close frame")
                case .failed(let violation): return .violation("\(violation)")
                case .ping, .pong, .closed: continue
                }
            }
            if ended { return .endOfStream }
            switch await session.next(on: stream, until: deadline) {
            case .data(let bytes, let endStream):
                connection.append(bytes)
                if endStream { ended = true }
            case .headers(_, let endStream):
                // Trailers: nothing for the WebSocket, but they may end the stream.
                if endStream { ended = true }
            case .reset(let code): return .reset(code)
            case .goAway(let code): return .connectionEnded("GOAWAY \(HTTP2ErrorCodeName.name(code))")
            case .connectionEnded(let why): return .connectionEnded(why)
            case .timedOut: return .timedOut
            }
        }
    }

    /// Reads until the server ends its side of the stream: END_STREAM (true), RST_STREAM (false, with its code), or
    /// nothing by the deadline (nil).
    func awaitEnd(until deadline: Duration) async -> (ended: Bool, reset: UInt32?)? {
        while true {
            switch await next(until: deadline) {
            case .endOfStream: return (true, nil)
            case .reset(let code): return (false, code)
            case .connectionEnded: return (true, nil)
            case .timedOut: return nil
            default: continue
            }
        }
    }
}
