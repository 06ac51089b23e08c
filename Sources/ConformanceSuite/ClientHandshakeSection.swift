import Scenario

/// 0.9.x, client role only: the client's handling of the server's answer to its opening request. RFC 6455 §4.1
/// lists what the client MUST check in the 101 (status, `Upgrade`, `Connection`, `Sec-WebSocket-Accept`, no
/// extension or subprotocol it did not offer); an answer that fails one of them must make it _Fail the WebSocket
/// Connection_. The script answers so, then sends a text frame as if the connection were open: a client that
/// echoes it, or keeps the connection, FAILS.
enum ClientHandshakeSection {
    static let rfc = [Payloads.rfc("4.1")]

    private static func brokenAnswer(_ id: CaseID, _ title: String, _ answer: HandshakeAnswer, rule: String) -> ScenarioCase {
        ScenarioCase(
            id, title, sends: "Answers the opening request with \(answer.description), then a text frame.",
            expectation: "The client fails the connection without sending anything: \(rule).",
            rfc: rfc, checks: [.clientHandshake], closing: .informational, deadline: .seconds(15)
        ) {
            Open.handshake { $0.answer = answer }
        }
    }

    static var cases: [ScenarioCase] {
        [
            brokenAnswer(
                "0.9.1", "A wrong Sec-WebSocket-Accept", .wrongAccept,
                rule: "the Accept must be the base64 SHA-1 of the key and the GUID"),
            brokenAnswer("0.9.2", "No Upgrade header", .without("Upgrade"), rule: "the 101 must carry Upgrade: websocket"),
            brokenAnswer("0.9.3", "No Connection header", .without("Connection"), rule: "the 101 must carry Connection: Upgrade"),
            brokenAnswer(
                "0.9.4", "A subprotocol the client did not offer", .adding("Sec-WebSocket-Protocol", "wsspec.unoffered"),
                rule: "a subprotocol must be one the client asked for"),
            brokenAnswer(
                "0.9.5", "An extension the client did not offer", .adding("Sec-WebSocket-Extensions", "x-wsspec-unoffered"),
                rule: "an extension must be one the client offered"),
            brokenAnswer(
                "0.9.6", "200 OK instead of 101", .status(200, "OK"),
                rule: "only a 101 opens a WebSocket connection")
        ].map { $0.about(.http1Upgrade) }
    }
}
