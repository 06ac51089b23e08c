import Scenario
import WebSocketCore

/// 0.x (our own): the opening handshake. Valid requests in their legal variations are upgraded (and the
/// 101 answer is checked in full: status, Upgrade, Connection, Sec-WebSocket-Accept); broken ones are
/// refused with the right status; subprotocols and extensions are negotiated as RFC 6455 §4 says.
///
/// No other suite checks these, so each FAILED rests on a MUST binding the *server* that the case cites.
/// RFC 6455 §4.2.1's "MUST stop processing ... and return an HTTP response" binds once the server finds the
/// request broken, and §4.2.2 lets it skip decoding the key: upgrading a request only §4.2.1 describes as
/// broken is NON-STRICT. Unconditional MUSTs (the version, RFC 9110 §7.8 on Upgrade, RFC 9112 §3.2 on
/// Host, RFC 7692 §7 on offers to decline) give FAILED. Refusing a valid request breaks no MUST (a server
/// "chooses to accept", §4.2.2): NON-STRICT.
enum HandshakeSection {
    static let rfcRequest = [Payloads.rfc("4.1"), Payloads.rfc("4.2.1")]
    static let rfcResponse = [Payloads.rfc("4.2.2")]
    /// A server may refuse any request; refusing a valid one is NON-STRICT.
    static let refusedValidRequest = Verdict.nonStrict

    /// A case made of one opening handshake; an upgraded connection then echoes one message and closes.
    private static func handshake(
        _ id: CaseID, _ title: String, sends: String, expectation: String, rfc: [String],
        requirement: Requirement = .must, checks: Set<Check>,
        _ configure: (inout HandshakeSpec) -> Void
    ) -> ScenarioCase {
        var spec = HandshakeSpec()
        configure(&spec)
        let upgrades = spec.expect.onUpgrade != nil
        // The tag marks cases whose best outcome is a refusal: those pass even against a server that cannot upgrade.
        let prefersRefusal = (spec.expect.onRefusal ?? .failed) < (spec.expect.onUpgrade ?? .failed)
        let earlyMessage = spec.earlyMessage
        return ScenarioCase(
            id, title, sends: sends, expectation: expectation, rfc: rfc, requirement: requirement,
            checks: checks.union([.handshake]).union(prefersRefusal ? [.handshakeRefused] : [])
        ) {
            Step.open(spec)
            if upgrades {
                if let earlyMessage {
                    Expect.text(earlyMessage)
                } else {
                    Send.text("after the handshake")
                    Expect.text("after the handshake")
                }
            }
        }
    }

    private static func upgraded(
        _ id: CaseID, _ title: String, sends: String, rfc: [String] = [], checks: Set<Check> = [],
        _ configure: @escaping (inout HandshakeSpec) -> Void
    ) -> ScenarioCase {
        handshake(
            id, title, sends: sends, expectation: "101 Switching Protocols with a correct Sec-WebSocket-Accept; then an echo.",
            rfc: rfcRequest + rfcResponse + rfc, checks: checks
        ) { spec in
            configure(&spec)
            spec.expect.onRefusal = spec.expect.onRefusal ?? refusedValidRequest
        }
    }

    /// A broken request. `upgrade` is the verdict of upgrading it: `nil` (FAILED) where a MUST binding the
    /// server forbids it (cited in `rfc`), NON-STRICT where only §4.2.1 describes the request as broken.
    private static func refused(
        _ id: CaseID, _ title: String, sends: String, statuses: Set<Int>? = [400],
        offeringVersion: Bool = false, upgrade: Verdict? = nil, rfc: [String] = [],
        checks: Set<Check> = [],
        _ configure: @escaping (inout HandshakeSpec) -> Void
    ) -> ScenarioCase {
        let statusText = statuses.map { $0.sorted().map(String.init).joined(separator: " or ") } ?? "a 4xx status"
        let upgradeText = upgrade.map { " Upgrading it is \($0)." } ?? ""
        return handshake(
            id, title, sends: sends,
            expectation: "No upgrade: the server answers \(statusText)\(offeringVersion ? " with Sec-WebSocket-Version: 13" : "").\(upgradeText)",
            rfc: rfcRequest + (offeringVersion ? [Payloads.rfc("4.4")] : []) + rfc, checks: checks
        ) { spec in
            spec.expect = .refusal(statuses, offeringVersion: offeringVersion)
            spec.expect.onUpgrade = upgrade
            configure(&spec)
        }
    }

    static var cases: [ScenarioCase] {
        (valid + version + key + upgradeAndConnection + request + subprotocols + extensions + transport).map { $0.about(.http1Upgrade) }
    }

    private static var valid: [ScenarioCase] {
        [
            upgraded("0.1.1", "The standard opening request", sends: "GET with Host, Upgrade, Connection, Sec-WebSocket-Key and -Version 13.") { _ in
            },
            // §4.2.2 lets a server refuse an origin with 403; a browser sends the page's origin, here the server's own.
            upgraded("0.1.2", "A request with an Origin header", sends: "The standard request plus Origin: http:// and the Host.") {
                $0.origin = HandshakeSpec.sameOrigin
                $0.expect.statusVerdicts = [403: .informational]
            },
            upgraded("0.1.3", "Header names in lower case", sends: "The standard request with every header name in lower case.") { spec in
                for (name, value) in [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Version", "13")] {
                    spec.overrides += [.omit(name), .add(name.lowercased(), value)]
                }
            },
            upgraded("0.1.4", "Upgrade token in mixed case", sends: "Upgrade: WebSocket.") { $0.overrides = [.set("Upgrade", "WebSocket")] },
            upgraded("0.1.5", "Connection as a list", sends: "Connection: keep-alive, Upgrade.") {
                $0.overrides = [.set("Connection", "keep-alive, Upgrade")]
            },
            upgraded("0.1.6", "Connection token in lower case", sends: "Connection: upgrade.") { $0.overrides = [.set("Connection", "upgrade")] },
            upgraded("0.1.7", "Unknown extra headers", sends: "The standard request plus X-Wsspec-Probe and User-Agent.") {
                $0.overrides = [.add("X-Wsspec-Probe", "1"), .add("User-Agent", "wsspec")]
            },
            upgraded("0.1.8", "A request target with a query string", sends: "GET /?probe=1&x=%20.") { $0.target = "/?probe=1&x=%20" },
            upgraded("0.1.9", "Upgrade token in upper case", sends: "Upgrade: WEBSOCKET.") { $0.overrides = [.set("Upgrade", "WEBSOCKET")] }
        ]
    }

    private static var version: [ScenarioCase] {
        [
            refused(
                "0.2.1", "Sec-WebSocket-Version missing", sends: "The standard request without Sec-WebSocket-Version.",
                statuses: [400, 426], checks: [.version]
            ) { $0.overrides = [.omit("Sec-WebSocket-Version")] },
            // A server may understand draft 8 as well (§4.2.2: "a version understood by the server"); one that
            // does not must say which it speaks (§4.4).
            refused(
                "0.2.2", "Sec-WebSocket-Version 8", sends: "Sec-WebSocket-Version: 8 (an older draft).", statuses: [400, 426],
                offeringVersion: true, upgrade: .informational, checks: [.version]
            ) {
                $0.overrides = [.set("Sec-WebSocket-Version", "8")]
            },
            refused(
                "0.2.3", "Sec-WebSocket-Version 14", sends: "Sec-WebSocket-Version: 14 (no such version).", statuses: [400, 426],
                offeringVersion: true, checks: [.version]
            ) { $0.overrides = [.set("Sec-WebSocket-Version", "14")] },
            // Not a version at all: the §4.2.1 path (an error status, no header required), not §4.4's.
            refused(
                "0.2.4", "Sec-WebSocket-Version not a number", sends: "Sec-WebSocket-Version: thirteen.", statuses: [400, 426],
                offeringVersion: true, checks: [.version]
            ) { spec in
                spec.overrides = [.set("Sec-WebSocket-Version", "thirteen")]
                spec.expect.refusalWithoutVersion = .nonStrict
            },
            // The two lines are one field value, "13, 8" (RFC 9110 §5.3): not a version the server understands.
            refused(
                "0.2.5", "Sec-WebSocket-Version twice, 13 and 8", sends: "Two Sec-WebSocket-Version fields: 13 and 8.",
                statuses: [400, 426], rfc: ["6455 §11.3.5", "9110 §5.3"], checks: [.version]
            ) {
                $0.overrides = [.add("Sec-WebSocket-Version", "8")]
            }
        ]
    }

    private static var key: [ScenarioCase] {
        [
            refused("0.3.1", "Sec-WebSocket-Key missing", sends: "The standard request without Sec-WebSocket-Key.", checks: [.key]) {
                $0.overrides = [.omit("Sec-WebSocket-Key")]
            },
            // §4.2.2: "It is not necessary for the server to base64-decode the |Sec-WebSocket-Key| value": a key the
            // server takes as it comes is no MUST broken; only §4.2.1 calls the request broken.
            refused("0.3.2", "Sec-WebSocket-Key twice", sends: "Two Sec-WebSocket-Key fields.", upgrade: .nonStrict, checks: [.key]) {
                $0.overrides = [.duplicate("Sec-WebSocket-Key")]
                $0.expect.keyIsBroken = true
            },
            refused(
                "0.3.3", "Sec-WebSocket-Key of 15 bytes", sends: "A key that decodes to 15 bytes (16 are required).",
                upgrade: .nonStrict, checks: [.key]
            ) { $0.key = "AAAAAAAAAAAAAAAAAAAA" },
            refused("0.3.4", "Sec-WebSocket-Key of 17 bytes", sends: "A key that decodes to 17 bytes.", upgrade: .nonStrict, checks: [.key]) {
                $0.key = "AAAAAAAAAAAAAAAAAAAAAAA="
            },
            refused(
                "0.3.5", "Sec-WebSocket-Key not base64", sends: "Sec-WebSocket-Key: !!!!not-base64!!!!.", upgrade: .nonStrict,
                checks: [.key]
            ) { $0.key = "!!!!not-base64!!!!" },
            refused("0.3.6", "Sec-WebSocket-Key empty", sends: "An empty Sec-WebSocket-Key.", upgrade: .nonStrict, checks: [.key]) { $0.key = "" }
        ]
    }

    private static var upgradeAndConnection: [ScenarioCase] {
        [
            // RFC 9110 §7.8: "A server MUST NOT switch to a protocol that was not indicated by the client".
            // Without Upgrade the request is a plain GET, which a server may answer with a page.
            refused(
                "0.4.1", "Upgrade missing", sends: "The standard request without Upgrade.", statuses: [400, 426],
                rfc: ["9110 §7.8"], checks: [.upgradeHeader]
            ) { spec in
                spec.overrides = [.omit("Upgrade")]
                spec.expect.statusVerdicts = [200: .informational]
            },
            refused(
                "0.4.2", "Upgrade to another protocol", sends: "Upgrade: h2c.", statuses: [400, 426], rfc: ["9110 §7.8"],
                checks: [.upgradeHeader]
            ) { $0.overrides = [.set("Upgrade", "h2c")] },
            refused(
                "0.4.3", "Connection missing", sends: "The standard request without Connection.", statuses: [400, 426],
                upgrade: .nonStrict, checks: [.upgradeHeader]
            ) { $0.overrides = [.omit("Connection")] },
            refused(
                "0.4.4", "Connection without the upgrade token", sends: "Connection: keep-alive.", statuses: [400, 426],
                upgrade: .nonStrict, checks: [.upgradeHeader]
            ) { $0.overrides = [.set("Connection", "keep-alive")] },
            handshake(
                "0.4.5", "Upgrade as a list that includes websocket", sends: "Upgrade: foo, websocket.",
                expectation: "101 (OK); refusing the list form is NON-STRICT.", rfc: rfcRequest,
                checks: [.upgradeHeader]
            ) { spec in
                spec.overrides = [.set("Upgrade", "foo, websocket")]
                spec.expect = HandshakeExpectation(onUpgrade: .ok, onRefusal: .nonStrict)
            }
        ]
    }

    private static var request: [ScenarioCase] {
        [
            // RFC 9110 §7.8: "A server MUST NOT switch protocols unless the received message semantics can be
            // honored by the new protocol" (RFC 6455 defines a GET handshake only); "A server that receives an
            // Upgrade header field in an HTTP/1.0 request MUST ignore that Upgrade field".
            refused(
                "0.5.1", "POST instead of GET", sends: "The standard headers with method POST.", statuses: [400, 405],
                rfc: ["9110 §7.8"], checks: [.method]
            ) { $0.method = "POST" },
            refused(
                "0.5.2", "PUT instead of GET", sends: "The standard headers with method PUT.", statuses: [400, 405],
                rfc: ["9110 §7.8"], checks: [.method]
            ) { $0.method = "PUT" },
            refused(
                "0.5.3", "HTTP/1.0", sends: "The standard request as HTTP/1.0.", statuses: [400, 426, 505], rfc: ["9110 §7.8"],
                checks: [.httpVersion]
            ) { $0.httpVersion = "HTTP/1.0" },
            // RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request
            // message that lacks a Host header field and to any request message that contains more than one".
            refused("0.5.4", "Host missing", sends: "The standard request without Host.", rfc: ["9112 §3.2"], checks: [.host]) {
                $0.overrides = [.omit("Host")]
            },
            refused("0.5.5", "Host twice", sends: "Two Host fields.", rfc: ["9112 §3.2"], checks: [.host]) { $0.overrides = [.duplicate("Host")] }
        ]
    }

    private static var subprotocols: [ScenarioCase] {
        let supported = HandshakeSpec.supportedSubprotocol
        return [
            upgraded("0.6.1", "No subprotocol offered", sends: "No Sec-WebSocket-Protocol.", checks: [.subprotocol]) {
                $0.expect = .upgrade(subprotocol: .none)
            },
            upgraded(
                "0.6.2", "One supported subprotocol offered", sends: "Sec-WebSocket-Protocol: the server's subprotocol.",
                checks: [.subprotocol]
            ) {
                $0.subprotocols = [supported]
                $0.expect = .upgrade(subprotocol: .supported)
                $0.expect.subprotocolMismatch = .nonStrict
            },
            upgraded(
                "0.6.3", "Several offered, the supported one first", sends: "Sec-WebSocket-Protocol: <supported>, x-unknown-a, x-unknown-b.",
                checks: [.subprotocol]
            ) {
                $0.subprotocols = [supported, "x-unknown-a", "x-unknown-b"]
                $0.expect = .upgrade(subprotocol: .supported)
                $0.expect.subprotocolMismatch = .nonStrict
            },
            upgraded(
                "0.6.4", "Several offered, the supported one last", sends: "Sec-WebSocket-Protocol: x-unknown-a, x-unknown-b, <supported>.",
                checks: [.subprotocol]
            ) {
                $0.subprotocols = ["x-unknown-a", "x-unknown-b", supported]
                $0.expect = .upgrade(subprotocol: .supported)
                $0.expect.subprotocolMismatch = .nonStrict
            },
            // Whether the server is "willing to use" an offered name is its own business (§4.2.2): choosing one is
            // recorded, not judged; choosing one that was not offered fails in the 101's validation.
            handshake(
                "0.6.5", "Only unsupported subprotocols offered", sends: "Sec-WebSocket-Protocol: x-unknown-a, x-unknown-b.",
                expectation: "101 without Sec-WebSocket-Protocol (OK); choosing an offered one or refusing is INFORMATIONAL.",
                rfc: rfcResponse, checks: [.subprotocol]
            ) { spec in
                spec.subprotocols = ["x-unknown-a", "x-unknown-b"]
                spec.expect = HandshakeExpectation(onUpgrade: .ok, onRefusal: .informational)
                spec.expect.subprotocol = .none
                spec.expect.subprotocolMismatch = .informational
            },
            upgraded(
                "0.6.6", "Subprotocols offered in two header fields",
                sends: "Sec-WebSocket-Protocol: x-unknown-a, then a second field with <supported>.",
                checks: [.subprotocol]
            ) {
                $0.subprotocols = ["x-unknown-a"]
                $0.overrides = [.add("Sec-WebSocket-Protocol", supported)]
                $0.expect = .upgrade(subprotocol: .supported)
                $0.expect.subprotocolMismatch = .nonStrict
            }
        ]
    }

    private static var extensions: [ScenarioCase] {
        [
            upgraded("0.7.1", "An unknown extension offered", sends: "Sec-WebSocket-Extensions: x-wsspec-unknown.", checks: [.extensions]) {
                $0.extensions = [ExtensionOffer(name: "x-wsspec-unknown")]
                $0.expect = .upgrade(declining: ["x-wsspec-unknown"])
            },
            upgraded(
                "0.7.2", "An unknown extension with parameters", sends: "Sec-WebSocket-Extensions: x-wsspec-unknown; a=1; b.",
                checks: [.extensions]
            ) {
                $0.extensions = [ExtensionOffer(name: "x-wsspec-unknown", parameters: [("a", "1"), ("b", nil)])]
                $0.expect = .upgrade(declining: ["x-wsspec-unknown"])
            },
            // §9.1 asks the recipient of a malformed offer to fail the connection; a server that skips what it cannot
            // parse and negotiates nothing is graded NON-STRICT (docs/decisions.md).
            handshake(
                "0.7.3", "A malformed extension offer", sends: "Sec-WebSocket-Extensions: ; broken.",
                expectation: "A refusal with 400 (OK), or an upgrade that accepts no extension (NON-STRICT).",
                rfc: [Payloads.rfc("9.1")], checks: [.extensions]
            ) { spec in
                spec.overrides = [.add("Sec-WebSocket-Extensions", "; broken")]
                spec.expect = HandshakeExpectation(onUpgrade: .nonStrict, onRefusal: .ok, refusalStatuses: [400])
            },
            // RFC 7692 §7: a server MUST decline an offer with an unknown parameter or an invalid value.
            upgraded(
                "0.7.4", "permessage-deflate with an unknown parameter", sends: "permessage-deflate; x-wsspec-unknown=1.",
                rfc: ["7692 §7"], checks: [.extensions]
            ) {
                $0.extensions = [ExtensionOffer(name: "permessage-deflate", parameters: [("x-wsspec-unknown", "1")])]
                $0.expect = .upgrade(declining: ["permessage-deflate"])
            },
            upgraded(
                "0.7.5", "permessage-deflate with an invalid window size", sends: "permessage-deflate; server_max_window_bits=99.",
                rfc: ["7692 §7"], checks: [.extensions]
            ) {
                $0.extensions = [ExtensionOffer(name: "permessage-deflate", parameters: [("server_max_window_bits", "99")])]
                $0.expect = .upgrade(declining: ["permessage-deflate"])
            }
        ]
    }

    private static var transport: [ScenarioCase] {
        [
            // The client breaks §4.1 here ("MUST wait for a response ... before sending any further data"), so
            // whatever the server makes of the early frame is recorded, not judged.
            handshake(
                "0.8.1", "A message right behind the request", sends: "The request and a text frame in one write, before any answer.",
                expectation: "Recorded, not judged: whether the early message is echoed after the 101.",
                rfc: rfcRequest, requirement: .may, checks: [.earlyData]
            ) { spec in
                spec.earlyMessage = "sent with the request"
                spec.expect = HandshakeExpectation(onUpgrade: .ok, onRefusal: .informational)
            },
            ScenarioCase(
                "0.8.2", "The request written one byte at a time", sends: "The standard request, one byte per write, 1 ms apart.",
                expectation: "101 Switching Protocols; then an echo.", rfc: rfcRequest, checks: [.handshake],
                deadline: .seconds(60)
            ) {
                Chop.writes(ofSize: 1, delay: .milliseconds(1))
                Open.handshake { $0.expect.onRefusal = refusedValidRequest }
                Chop.off
                Send.text("after a slow request")
                Expect.text("after a slow request")
            },
            // No RFC limits the size of a request head (RFC 9110 §5.4 leaves it to the server, which answers a 4xx
            // when it is larger than it wishes to process): the server's limit is recorded.
            handshake(
                "0.8.3", "A request head over 16 KiB", sends: "The standard request plus a 20000-byte header.",
                expectation: "Recorded, not judged: an upgrade, or a 4xx refusal (another status is NON-STRICT).",
                rfc: rfcRequest + ["9110 §5.4"], requirement: .may, checks: [.headSize]
            ) { spec in
                spec.overrides = [.add("X-Wsspec-Padding", String(repeating: "p", count: 20000))]
                spec.expect = HandshakeExpectation(onUpgrade: .informational, onRefusal: .informational)
            },
            handshake(
                "0.8.4", "Not HTTP at all", sends: "A request line that is not HTTP (GARBAGE instead of the method and version).",
                expectation: "A 400 refusal (OK), or closing without an answer (NON-STRICT); never an upgrade.",
                rfc: rfcRequest + ["9112 §2.2"], checks: [.handshakeRefused]
            ) { spec in
                spec.method = "GARBAGE GARBAGE"
                spec.httpVersion = "NOT-HTTP"
                spec.expect = .refusal([400])
                spec.expect.noResponseRule = "RFC 9112 §2.2: a server SHOULD answer 400 to what is not HTTP"
            }
        ]
    }
}
