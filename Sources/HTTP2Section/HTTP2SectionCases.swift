public import Scenario

/// Section 14: WebSocket over HTTP/2 (RFC 8441), our own. It runs in runs over HTTP/2 (`--http2`,
/// `--http2-prior-knowledge`), each case on a connection of its own, probed frame by frame. The bug classes are those
/// the project's field notes list for RFC 8441 servers and proxies: the setting, the request's pseudo-header fields,
/// HTTP/1.1's fields where HTTP/2 forbids them, refusals, closing by END_STREAM or RST_STREAM, RFC 6455's framing
/// over the stream, several WebSockets and flow control on one connection, and permessage-deflate.
public enum HTTP2Section {
    public static let cases: [HTTP2Case] = setting + request + response + closing + framing + streams + refusal

    /// The section's cases a selection names, in id order.
    public static func cases(_ selection: CaseSelection) -> [HTTP2Case] { cases.filter { selection.contains($0.id) } }

    static let setting: [HTTP2Case] = [
        HTTP2Case(
            "14.1.1", "The server's SETTINGS enable extended CONNECT", .must, rfc: ["RFC 8441 §3"],
            sends: "the connection preface, and reads the server's first SETTINGS",
            expects: "SETTINGS_ENABLE_CONNECT_PROTOCOL = 1: without it no client may send :protocol, and no WebSocket opens",
            probe: .settingEnabled),
        HTTP2Case(
            "14.1.2", "The setting is never withdrawn", .must, rfc: ["RFC 8441 §3"],
            sends: "a WebSocket's whole life on one connection: opening, an echo, the closing handshake",
            expects: "no SETTINGS frame sets SETTINGS_ENABLE_CONNECT_PROTOCOL back to 0 after it was 1",
            probe: .settingKept)
    ]

    static func malformed(_ id: CaseID, _ title: String, _ rfc: [String], _ change: String, _ edits: [RequestEdit]) -> HTTP2Case {
        HTTP2Case(
            id, title, .must, rfc: rfc, sends: "an extended CONNECT for a WebSocket with \(change)",
            expects: "no WebSocket: a response that is not 2xx, or RST_STREAM (PROTOCOL_ERROR for a malformed request)",
            probe: .refused(edits))
    }

    static let request: [HTTP2Case] = [
        malformed(
            "14.2.1", "CONNECT without :protocol but with :scheme and :path", ["RFC 9113 §8.5", "RFC 8441 §4"],
            "no :protocol (a plain CONNECT, which must omit :scheme and :path)", [.remove(":protocol")]),
        malformed(
            "14.2.2", ":protocol on a GET", ["RFC 8441 §4", "RFC 9113 §8.3"], ":method GET (only a CONNECT carries :protocol)",
            [.set(":method", "GET")]),
        malformed("14.2.3", "Extended CONNECT without :path", ["RFC 8441 §4", "RFC 9113 §8.1.1"], "no :path", [.remove(":path")]),
        malformed("14.2.4", "Extended CONNECT without :scheme", ["RFC 8441 §4", "RFC 9113 §8.1.1"], "no :scheme", [.remove(":scheme")]),
        malformed("14.2.5", "A pseudo-header field twice", ["RFC 9113 §8.3"], ":path twice", [.duplicate(":path")]),
        malformed("14.2.6", "An undefined pseudo-header field", ["RFC 9113 §8.3"], "a field :foo", [.append(":foo", "bar")]),
        malformed(
            "14.2.7", "A pseudo-header field after a regular field", ["RFC 9113 §8.3"],
            ":authority after sec-websocket-version", [.moveToEnd(":authority")]),
        malformed(
            "14.2.8", "A connection-specific field", ["RFC 9113 §8.2.2"], "connection: upgrade and upgrade: websocket",
            [.append("connection", "upgrade"), .append("upgrade", "websocket")]),
        malformed(
            "14.2.9", "An upper-case field name", ["RFC 9113 §8.2.1"], "the name Sec-WebSocket-Version in upper case",
            [.uppercase("sec-websocket-version")]),
        malformed(
            "14.2.10", "A :protocol the server does not speak", ["RFC 8441 §4", "RFC 8441 §5"],
            ":protocol not-websocket (a WebSocket server speaks websocket only)", [.set(":protocol", "not-websocket")]),
        HTTP2Case(
            "14.2.12", "A plain CONNECT", .must, rfc: ["RFC 9110 §9.3.6", "RFC 9113 §8.5", "RFC 8441 §4"],
            sends: "a CONNECT with :authority alone (no :protocol, :scheme or :path): a request for a TCP tunnel",
            expects:
                "no WebSocket: a response that is not 2xx, or RST_STREAM; the connection's other streams are not its business (a drop without GOAWAY is NON-STRICT)",
            probe: .refused([.remove(":protocol"), .remove(":scheme"), .remove(":path")])),
        HTTP2Case(
            "14.2.11", "An unsupported WebSocket version", .must, rfc: ["RFC 8441 §5", "RFC 6455 §4.2.2", "RFC 6455 §4.4"],
            sends: "an extended CONNECT with sec-websocket-version: 14 (no such version)",
            expects: "no WebSocket; a refusal that is a response names the version the server speaks (sec-websocket-version: 13)",
            probe: .refused([.set("sec-websocket-version", "14")], versionAnswer: true))
    ]

    static let response: [HTTP2Case] = [
        HTTP2Case(
            "14.3.1", "No connection-specific fields in the 2xx", .must, rfc: ["RFC 9113 §8.2.2", "RFC 8441 §5"],
            sends: "a valid extended CONNECT",
            expects: "a 2xx without connection, upgrade, keep-alive, proxy-connection or transfer-encoding",
            probe: .responseLacks(["connection", "upgrade", "keep-alive", "proxy-connection", "transfer-encoding"])),
        HTTP2Case(
            "14.3.2", "No Sec-WebSocket-Accept in the 2xx", .should, rfc: ["RFC 8441 §5"],
            sends: "a valid extended CONNECT (no sec-websocket-key)",
            expects: "a 2xx without sec-websocket-accept: :protocol supersedes the key and its answer",
            probe: .responseLacks(["sec-websocket-accept"]))
    ]

    static let closing: [HTTP2Case] = [
        HTTP2Case(
            "14.4.1", "The server ends its stream after the closing handshake", .must,
            rfc: ["RFC 8441 §6", "RFC 6455 §7.1.1"],
            sends: "a close frame (1000), and keeps its side of the stream open",
            expects: "the server's close frame, then the end of its side of the stream (END_STREAM, or RST_STREAM)",
            probe: .closing(.serverEndsStream)),
        HTTP2Case(
            "14.4.2", "An orderly close is END_STREAM, not RST_STREAM", .should, rfc: ["RFC 8441 §6", "RFC 6455 §7.1.1"],
            sends: "a close frame (1000)",
            expects: "the server's close frame, then END_STREAM (a TCP FIN's equivalent); RST_STREAM stands for a TCP reset",
            probe: .closing(.endStreamNotReset)),
        HTTP2Case(
            "14.4.3", "A close that comes with END_STREAM is answered", .must, rfc: ["RFC 8441 §6", "RFC 6455 §5.5.1"],
            sends: "a close frame (1000) in a DATA frame with END_STREAM (the client half-closes)",
            expects: "the server's close frame (1000), then END_STREAM",
            probe: .closing(.clientEndsWithClose)),
        HTTP2Case(
            "14.4.4", "A reset WebSocket leaves the others open", .must, rfc: ["RFC 9113 §5.4.2", "RFC 8441 §6"],
            sends: "two WebSockets on one connection, then RST_STREAM (CANCEL) on the first, then a message on the second",
            expects: "the second echoes its message; no GOAWAY, the connection stays open",
            probe: .closing(.resetOneOfTwo))
    ]

    static let framing: [HTTP2Case] = [
        HTTP2Case(
            "14.5.1", "An unmasked client frame", .must, rfc: ["RFC 8441 §5", "RFC 6455 §5.1"],
            sends: "a text frame without a mask on the WebSocket's stream",
            expects: "the WebSocket fails: a close frame with 1002, or the stream reset",
            probe: .framing(.unmaskedClientFrame)),
        HTTP2Case(
            "14.5.2", "The server's frames are unmasked", .must, rfc: ["RFC 8441 §5", "RFC 6455 §5.1"],
            sends: "a text message, masked", expects: "its echo in an unmasked frame",
            probe: .framing(.serverFramesUnmasked)),
        HTTP2Case(
            "14.5.3", "DATA frame boundaries mean nothing", .must, rfc: ["RFC 8441 §5", "RFC 9113 §8.1"],
            sends: "three text messages, their bytes cut into one-octet DATA frames, then three more in one DATA frame",
            expects: "six echoes, in order", probe: .framing(.frameBoundariesIgnored)),
        HTTP2Case(
            "14.5.4", "permessage-deflate over HTTP/2", .must, rfc: ["RFC 8441 §5", "RFC 7692 §5"],
            sends: "an extended CONNECT offering permessage-deflate, then a compressed text message",
            expects: "when the server agrees, the message echoed (UNIMPLEMENTED when it does not)",
            probe: .framing(.permessageDeflate))
    ]

    static let streams: [HTTP2Case] = [
        HTTP2Case(
            "14.6.1", "Two WebSockets on one connection", .must, rfc: ["RFC 8441 §1", "RFC 9113 §5"],
            sends: "two extended CONNECTs on one connection, then messages on both, interleaved",
            expects: "each WebSocket echoes its own messages", probe: .streams(.twoWebSockets)),
        HTTP2Case(
            "14.6.2", "A stalled WebSocket does not hold up another", .must, rfc: ["RFC 9113 §5.2", "RFC 9113 §6.9.1"],
            sends:
                "two WebSockets with a 16 KiB stream window; a 64 KiB message on the first, whose window the client keeps closed, then a message on the second",
            expects:
                "no DATA past the first's window; the second echoes meanwhile; the first's echo completes once its window opens",
            probe: .streams(.stalledStream)),
        HTTP2Case(
            "14.6.3", "A message larger than the server's window", .must, rfc: ["RFC 9113 §6.9", "RFC 8441 §5"],
            sends: "a binary message of twice the server's initial stream window (at least 256 KiB)",
            expects: "its echo, whole: the server sends WINDOW_UPDATE as it reads", probe: .streams(.largerThanWindow)),
        HTTP2Case(
            "14.6.4", "An ordinary request beside a WebSocket", .must, rfc: ["RFC 8441 §1", "RFC 9113 §8.1"],
            sends: "a WebSocket, then a GET on another stream of the connection, then a message on the WebSocket",
            expects: "the GET gets a whole response (any status, ending its stream); the WebSocket still echoes",
            probe: .streams(.requestBeside))
    ]

    static let refusal: [HTTP2Case] = [
        HTTP2Case(
            "14.7.1", "A refusal is a response", .should, rfc: ["RFC 8441 §5", "RFC 9113 §8.1", "RFC 6455 §4.2.2"],
            sends: "an extended CONNECT without sec-websocket-version",
            expects: "a 4xx response that ends the stream (END_STREAM), which a client can report; a bare RST_STREAM says nothing",
            probe: .refusalIsAResponse([.remove("sec-websocket-version")]))
    ]
}
