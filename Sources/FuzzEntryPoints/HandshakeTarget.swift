import CFuzzShims
import WebSocketCore

/// The HTTP head parsers and the server's handshake decision, as the C shims see them.
enum HandshakeTarget {
    /// The function table the C shim calls (built on demand: C function tables are not Sendable).
    static var api: wsspec_handshake_api {
        wsspec_handshake_api(
            context: nil,
            parse_digest: { _, variant, data, size, cuts, cutCount in
                var parser = HTTPHeadParser()
                var digest = Digest()
                var found: (head: [UInt8], rest: [UInt8])?
                for piece in pieces(data, size, cuts, cutCount) {
                    if found != nil {
                        found!.rest += piece // after the head, everything is left for the WebSocket layer
                        continue
                    }
                    do {
                        found = try parser.append(piece)
                    } catch {
                        digest.add("error \(error)")
                        return digest.value
                    }
                }
                guard let (head, rest) = found else {
                    digest.add("incomplete")
                    return digest.value
                }
                digest.add(HandshakeTarget.describe(variant, head))
                digest.add(rest)
                return digest.value
            },
            reparse_matches: { _, variant, data, size in
                let bytes = pieces(data, size, nil, 0)[0]
                if variant == 0 {
                    guard let first = try? HTTPHeadParser.parseRequest(bytes) else { return -1 }
                    let again = try? HTTPHeadParser.parseRequest(HTTPSerializer.serialize(first))
                    return again == first ? 1 : 0
                }
                guard let first = try? HTTPHeadParser.parseResponse(bytes) else { return -1 }
                let again = try? HTTPHeadParser.parseResponse(HTTPSerializer.serialize(first))
                return again == first ? 1 : 0
            }
        )
    }

    /// What a head parses to: a request and the server's decision on it, or a response. Written out field
    /// by field (reflection-based descriptions would dominate the fuzzer's time).
    static func describe(_ variant: Int32, _ head: [UInt8]) -> String {
        if variant == 0 {
            do {
                let request = try HTTPHeadParser.parseRequest(head)
                let decision = ServerHandshake(subprotocols: ["chat"]).respond(to: request)
                return "request \(request.method)|\(request.target)|\(request.version)|\(fields(request.headers)) -> "
                    + String(decoding: decision.bytes, as: UTF8.self)
            } catch {
                return "request error \(error)"
            }
        }
        do {
            let response = try HTTPHeadParser.parseResponse(head)
            return "response \(response.version)|\(response.status)|\(response.reasonPhrase)|\(fields(response.headers))"
        } catch {
            return "response error \(error)"
        }
    }

    static func fields(_ headers: HTTPHeaders) -> String {
        headers.fields.map { "\($0.name)=\($0.value)" }.joined(separator: "\u{0}")
    }
}
