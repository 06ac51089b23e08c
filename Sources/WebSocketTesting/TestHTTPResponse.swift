public import WebSocketCore

/// An HTTP response from an in-process server (`TestServer.request`): for the HTTP routes an application
/// serves beside its WebSocket routes.
public struct TestHTTPResponse: Sendable, Hashable {
    public let status: Int
    public let headers: HTTPHeaders
    public let body: [UInt8]

    /// The body as UTF-8 text (invalid sequences replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Why `TestServer.request` got no response.
public enum TestHTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The answer is not HTTP/1.1 (or its head is too large).
    case malformedResponse(String)
    /// The connection ended or was reset before the response was complete.
    case incompleteResponse(receivedBytes: Int)
    /// The body is larger than the limit the call was given.
    case bodyTooLarge(limit: Int)
    case timedOut(after: Duration)

    public var description: String {
        switch self {
        case .malformedResponse(let why): "the response is not valid HTTP/1.1: \(why)"
        case .incompleteResponse(let count): "the connection ended after \(count) bytes, before the response was complete"
        case .bodyTooLarge(let limit): "the response body is larger than \(limit) bytes"
        case .timedOut(let duration): "no complete response within \(duration)"
        }
    }
}

/// Reads one HTTP/1.1 response from bytes as they arrive: the head, then a body framed by Content-Length, by
/// chunked transfer coding, or by the end of the connection. Each byte is looked at a bounded number of times.
struct HTTPResponseReader {
    private var headParser = HTTPHeadParser()
    private(set) var head: HTTPResponseHead?
    private var framing: Framing = .untilEnd
    private var body: [UInt8] = []
    /// Chunked coding: bytes not yet parsed, and where parsing stands in them.
    private var pending: [UInt8] = []
    private var position = 0
    /// How far the search for the current size line's CRLF has looked: each byte is looked at once.
    private var lineScan = 0
    /// Bytes the size-line search has looked at, for the test that holds it linear.
    private(set) var lineBytesExamined = 0
    private var chunkRemaining: Int?
    private var done = false
    private(set) var receivedBytes = 0
    let bodyLimit: Int
    let noBody: Bool

    private enum Framing {
        case length(Int)
        case chunked, untilEnd
    }

    init(bodyLimit: Int, noBody: Bool) {
        self.bodyLimit = bodyLimit
        self.noBody = noBody
    }

    /// Adds bytes; returns the response once it is complete.
    mutating func append(_ bytes: [UInt8]) throws(TestHTTPError) -> TestHTTPResponse? {
        receivedBytes += bytes.count
        if head == nil {
            let parsed: (head: [UInt8], rest: [UInt8])?
            do { parsed = try headParser.append(bytes) } catch { throw .malformedResponse("\(error)") }
            guard let parsed else { return nil }
            let response: HTTPResponseHead
            do { response = try HTTPHeadParser.parseResponse(parsed.head) } catch { throw .malformedResponse("\(error)") }
            head = response
            if noBody || response.status == 204 || response.status == 304 || (100..<200).contains(response.status) {
                done = true
            } else if response.headers["transfer-encoding"].contains(where: { $0.lowercased().contains("chunked") }) {
                framing = .chunked
            } else if let length = response.headers["content-length"].first.flatMap({ Int($0) }) {
                guard length <= bodyLimit else { throw .bodyTooLarge(limit: bodyLimit) }
                framing = .length(length)
                done = length == 0
            }
            return try consume(parsed.rest)
        }
        return try consume(bytes)
    }

    /// The connection ended: a body framed by the end is complete now.
    func finishAtEnd() -> TestHTTPResponse? {
        guard let head, case .untilEnd = framing else { return nil }
        return TestHTTPResponse(status: head.status, headers: head.headers, body: body)
    }

    private mutating func consume(_ bytes: [UInt8]) throws(TestHTTPError) -> TestHTTPResponse? {
        guard let head else { return nil }
        if !done {
            switch framing {
            case .length(let length):
                body.append(contentsOf: bytes.prefix(length - body.count))
                done = body.count == length
            case .untilEnd:
                body.append(contentsOf: bytes)
                guard body.count <= bodyLimit else { throw .bodyTooLarge(limit: bodyLimit) }
            case .chunked:
                pending.append(contentsOf: bytes)
                try parseChunks()
            }
        }
        return done ? TestHTTPResponse(status: head.status, headers: head.headers, body: body) : nil
    }

    private mutating func parseChunks() throws(TestHTTPError) {
        // Parsed bytes are dropped once they are half the buffer: each byte is moved a bounded number of times.
        defer {
            if position > pending.count / 2 {
                pending.removeFirst(position)
                lineScan -= position
                position = 0
            }
        }
        while !done {
            if let remaining = chunkRemaining {
                // The chunk's data, then its CRLF.
                let available = pending.count - position
                if remaining > 0 {
                    let take = min(remaining, available)
                    body.append(contentsOf: pending[position..<(position + take)])
                    position += take
                    chunkRemaining = remaining - take
                    if remaining - take > 0 { return }
                }
                guard pending.count - position >= 2 else { return }
                position += 2
                chunkRemaining = nil
            } else {
                // A size line (hex, extensions ignored).
                guard let end = lineEnd(from: position) else {
                    if pending.count - position > 1024 { throw .malformedResponse("a chunk size line is too long") }
                    return
                }
                let line = String(decoding: pending[position..<end], as: UTF8.self)
                position = end + 2
                guard let size = Int(line.split(separator: ";").first?.trimmingHTTPWhitespace() ?? "", radix: 16), size >= 0 else {
                    throw .malformedResponse("bad chunk size \"\(line)\"")
                }
                guard body.count + size <= bodyLimit else { throw .bodyTooLarge(limit: bodyLimit) }
                if size == 0 {
                    done = true // Trailers, if any, are not read.
                } else {
                    chunkRemaining = size
                }
            }
        }
    }

    /// The CRLF that ends the line at `start`, searching on from where the last search stopped.
    private mutating func lineEnd(from start: Int) -> Int? {
        var index = max(start, lineScan)
        while index + 1 < pending.count {
            lineBytesExamined += 1
            if pending[index] == 13, pending[index + 1] == 10 {
                lineScan = index + 2
                return index
            }
            index += 1
        }
        lineScan = index
        return nil
    }
}
