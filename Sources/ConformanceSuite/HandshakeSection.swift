import Scenario
import WebSocketCore

/// 0.x (our own): the opening handshake. Valid requests in their legal variations are upgraded (and the
/// 101 answer is checked in full: status, Upgrade, Connection, Sec-WebSocket-Accept); broken ones are
/// refused with the right status; subprotocols and extensions are negotiated as RFC 6455 §4 says.
enum HandshakeSection {
    static let rfcRequest = [Payloads.rfc("4.1"), Payloads.rfc("4.2.1")]
    static let rfcResponse = [Payloads.rfc("4.2.2")]

    /// A case made of one opening handshake; an upgraded connection then echoes one message and closes.
    private static func handshake(_ id: CaseID, _ title: String, sends: String, expectation: String, rfc: [String],
                                  requirement: Requirement = .must, checks: Set<String>,
                                  _ configure: (inout HandshakeSpec) -> Void) -> ScenarioCase {
        var spec = HandshakeSpec()
        configure(&spec)
        let upgrades = spec.expect.onUpgrade != nil
        // The tag marks cases whose best outcome is a refusal: those pass even against a server that cannot upgrade.
        let prefersRefusal = (spec.expect.onRefusal ?? .failed) < (spec.expect.onUpgrade ?? .failed)
        let earlyMessage = spec.earlyMessage
        return ScenarioCase(id, title, sends: sends, expectation: expectation, rfc: rfc, requirement: requirement,
                            checks: checks.union(["handshake"]).union(prefersRefusal ? ["handshake-refused"] : [])) {
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

    private static func upgraded(_ id: CaseID, _ title: String, sends: String, checks: Set<String> = [],
                                 _ configure: @escaping (inout HandshakeSpec) -> Void) -> ScenarioCase {
        handshake(id, title, sends: sends, expectation: "101 Switching Protocols with a correct Sec-WebSocket-Accept; then an echo.",
                  rfc: rfcRequest + rfcResponse, checks: checks) { spec in
            configure(&spec)
        }
    }

    private static func refused(_ id: CaseID, _ title: String, sends: String, statuses: Set<Int>? = [400],
                                offeringVersion: Bool = false, checks: Set<String> = [],
                                _ configure: @escaping (inout HandshakeSpec) -> Void) -> ScenarioCase {
        let statusText = statuses.map { $0.sorted().map(String.init).joined(separator: " or ") } ?? "a 4xx status"
        return handshake(id, title, sends: sends,
                         expectation: "No upgrade: the server answers \(statusText)\(offeringVersion ? " with Sec-WebSocket-Version: 13" : "").",
                         rfc: rfcRequest + (offeringVersion ? [Payloads.rfc("4.4")] : []), checks: checks) { spec in
            configure(&spec)
            spec.expect = .refusal(statuses, offeringVersion: offeringVersion)
        }
    }

    static var cases: [ScenarioCase] { valid + version + key + upgradeAndConnection + request + subprotocols + extensions + transport }

    private static var valid: [ScenarioCase] {
        [
            upgraded("0.1.1", "The standard opening request", sends: "GET with Host, Upgrade, Connection, Sec-WebSocket-Key and -Version 13.") { _ in },
            upgraded("0.1.2", "A request with an Origin header", sends: "The standard request plus Origin: http://127.0.0.1.") {
                $0.origin = "http://127.0.0.1"
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
            upgraded("0.1.9", "Upgrade token in upper case", sends: "Upgrade: WEBSOCKET.") { $0.overrides = [.set("Upgrade", "WEBSOCKET")] },
        ]
    }

    private static var version: [ScenarioCase] {
        [
            refused("0.2.1", "Sec-WebSocket-Version missing", sends: "The standard request without Sec-WebSocket-Version.",
                    statuses: [400, 426], checks: ["version"]) { $0.overrides = [.omit("Sec-WebSocket-Version")] },
            refused("0.2.2", "Sec-WebSocket-Version 8", sends: "Sec-WebSocket-Version: 8 (an older draft).", statuses: [426],
                    offeringVersion: true, checks: ["version"]) { $0.overrides = [.set("Sec-WebSocket-Version", "8")] },
            refused("0.2.3", "Sec-WebSocket-Version 14", sends: "Sec-WebSocket-Version: 14 (no such version).", statuses: [426],
                    offeringVersion: true, checks: ["version"]) { $0.overrides = [.set("Sec-WebSocket-Version", "14")] },
            refused("0.2.4", "Sec-WebSocket-Version not a number", sends: "Sec-WebSocket-Version: thirteen.", statuses: [400, 426],
                    offeringVersion: true, checks: ["version"]) { $0.overrides = [.set("Sec-WebSocket-Version", "thirteen")] },
            refused("0.2.5", "Sec-WebSocket-Version twice, 13 and 8", sends: "Two Sec-WebSocket-Version fields: 13 and 8.",
                    statuses: [400, 426], checks: ["version"]) { $0.overrides = [.add("Sec-WebSocket-Version", "8")] },
        ]
    }

    private static var key: [ScenarioCase] {
        [
            refused("0.3.1", "Sec-WebSocket-Key missing", sends: "The standard request without Sec-WebSocket-Key.", checks: ["key"]) {
                $0.overrides = [.omit("Sec-WebSocket-Key")]
            },
            refused("0.3.2", "Sec-WebSocket-Key twice", sends: "Two Sec-WebSocket-Key fields.", checks: ["key"]) {
                $0.overrides = [.duplicate("Sec-WebSocket-Key")]
            },
            refused("0.3.3", "Sec-WebSocket-Key of 15 bytes", sends: "A key that decodes to 15 bytes (16 are required).", checks: ["key"]) {
                $0.key = "AAAAAAAAAAAAAAAAAAAA"
            },
            refused("0.3.4", "Sec-WebSocket-Key of 17 bytes", sends: "A key that decodes to 17 bytes.", checks: ["key"]) {
                $0.key = "AAAAAAAAAAAAAAAAAAAAAAA="
            },
            refused("0.3.5", "Sec-WebSocket-Key not base64", sends: "Sec-WebSocket-Key: !!!!not-base64!!!!.", checks: ["key"]) {
                $0.key = "!!!!not-base64!!!!"
            },
            refused("0.3.6", "Sec-WebSocket-Key empty", sends: "An empty Sec-WebSocket-Key.", checks: ["key"]) { $0.key = "" },
        ]
    }

    private static var upgradeAndConnection: [ScenarioCase] {
        [
            refused("0.4.1", "Upgrade missing", sends: "The standard request without Upgrade.", checks: ["upgrade-header"]) {
                $0.overrides = [.omit("Upgrade")]
            },
            refused("0.4.2", "Upgrade to another protocol", sends: "Upgrade: h2c.", checks: ["upgrade-header"]) {
                $0.overrides = [.set("Upgrade", "h2c")]
            },
            refused("0.4.3", "Connection missing", sends: "The standard request without Connection.", checks: ["upgrade-header"]) {
                $0.overrides = [.omit("Connection")]
            },
            refused("0.4.4", "Connection without the upgrade token", sends: "Connection: keep-alive.", checks: ["upgrade-header"]) {
                $0.overrides = [.set("Connection", "keep-alive")]
            },
            handshake("0.4.5", "Upgrade as a list that includes websocket", sends: "Upgrade: foo, websocket.",
                      expectation: "101 (OK); refusing the list form is NON-STRICT.", rfc: rfcRequest,
                      checks: ["upgrade-header"]) { spec in
                spec.overrides = [.set("Upgrade", "foo, websocket")]
                spec.expect = HandshakeExpectation(onUpgrade: .ok, onRefusal: .nonStrict)
            },
        ]
    }

    private static var request: [ScenarioCase] {
        [
            refused("0.5.1", "POST instead of GET", sends: "The standard headers with method POST.", statuses: [400, 405], checks: ["method"]) {
                $0.method = "POST"
            },
            refused("0.5.2", "PUT instead of GET", sends: "The standard headers with method PUT.", statuses: [400, 405], checks: ["method"]) {
                $0.method = "PUT"
            },
            refused("0.5.3", "HTTP/1.0", sends: "The standard request as HTTP/1.0.", statuses: [400, 505], checks: ["http-version"]) {
                $0.httpVersion = "HTTP/1.0"
            },
            refused("0.5.4", "Host missing", sends: "The standard request without Host.", checks: ["host"]) { $0.overrides = [.omit("Host")] },
            refused("0.5.5", "Host twice", sends: "Two Host fields.", checks: ["host"]) { $0.overrides = [.duplicate("Host")] },
        ]
    }

    private static var subprotocols: [ScenarioCase] {
        let supported = HandshakeSpec.supportedSubprotocol
        return [
            upgraded("0.6.1", "No subprotocol offered", sends: "No Sec-WebSocket-Protocol.", checks: ["subprotocol"]) {
                $0.expect = .upgrade(subprotocol: .none)
            },
            upgraded("0.6.2", "One supported subprotocol offered", sends: "Sec-WebSocket-Protocol: the server's subprotocol.",
                     checks: ["subprotocol"]) {
                $0.subprotocols = [supported]
                $0.expect = .upgrade(subprotocol: .supported)
            },
            upgraded("0.6.3", "Several offered, the supported one first", sends: "Sec-WebSocket-Protocol: <supported>, x-unknown-a, x-unknown-b.",
                     checks: ["subprotocol"]) {
                $0.subprotocols = [supported, "x-unknown-a", "x-unknown-b"]
                $0.expect = .upgrade(subprotocol: .supported)
            },
            upgraded("0.6.4", "Several offered, the supported one last", sends: "Sec-WebSocket-Protocol: x-unknown-a, x-unknown-b, <supported>.",
                     checks: ["subprotocol"]) {
                $0.subprotocols = ["x-unknown-a", "x-unknown-b", supported]
                $0.expect = .upgrade(subprotocol: .supported)
            },
            handshake("0.6.5", "Only unsupported subprotocols offered", sends: "Sec-WebSocket-Protocol: x-unknown-a, x-unknown-b.",
                      expectation: "101 without Sec-WebSocket-Protocol (OK), or a refusal (INFORMATIONAL).", rfc: rfcResponse,
                      checks: ["subprotocol"]) { spec in
                spec.subprotocols = ["x-unknown-a", "x-unknown-b"]
                spec.expect = HandshakeExpectation(onUpgrade: .ok, onRefusal: .informational)
                spec.expect.subprotocol = .none
            },
            upgraded("0.6.6", "Subprotocols offered in two header fields", sends: "Sec-WebSocket-Protocol: x-unknown-a, then a second field with <supported>.",
                     checks: ["subprotocol"]) {
                $0.subprotocols = ["x-unknown-a"]
                $0.overrides = [.add("Sec-WebSocket-Protocol", supported)]
                $0.expect = .upgrade(subprotocol: .supported)
            },
        ]
    }

    private static var extensions: [ScenarioCase] {
        [
            upgraded("0.7.1", "An unknown extension offered", sends: "Sec-WebSocket-Extensions: x-wsspec-unknown.", checks: ["extensions"]) {
                $0.extensions = [ExtensionOffer(name: "x-wsspec-unknown")]
                $0.expect = .upgrade(declining: ["x-wsspec-unknown"])
            },
            upgraded("0.7.2", "An unknown extension with parameters", sends: "Sec-WebSocket-Extensions: x-wsspec-unknown; a=1; b.",
                     checks: ["extensions"]) {
                $0.extensions = [ExtensionOffer(name: "x-wsspec-unknown", parameters: [("a", "1"), ("b", nil)])]
                $0.expect = .upgrade(declining: ["x-wsspec-unknown"])
            },
            handshake("0.7.3", "A malformed extension offer", sends: "Sec-WebSocket-Extensions: ; broken.",
                      expectation: "A refusal with 400 (OK), or an upgrade that accepts no extension (NON-STRICT).",
                      rfc: [Payloads.rfc("9.1")], checks: ["extensions"]) { spec in
                spec.overrides = [.add("Sec-WebSocket-Extensions", "; broken")]
                spec.expect = HandshakeExpectation(onUpgrade: .nonStrict, onRefusal: .ok, refusalStatuses: [400])
            },
            upgraded("0.7.4", "permessage-deflate with an unknown parameter", sends: "permessage-deflate; x-wsspec-unknown=1.",
                     checks: ["extensions"]) {
                $0.extensions = [ExtensionOffer(name: "permessage-deflate", parameters: [("x-wsspec-unknown", "1")])]
                $0.expect = .upgrade(declining: ["permessage-deflate"])
            },
            upgraded("0.7.5", "permessage-deflate with an invalid window size", sends: "permessage-deflate; server_max_window_bits=99.",
                     checks: ["extensions"]) {
                $0.extensions = [ExtensionOffer(name: "permessage-deflate", parameters: [("server_max_window_bits", "99")])]
                $0.expect = .upgrade(declining: ["permessage-deflate"])
            },
        ]
    }

    private static var transport: [ScenarioCase] {
        [
            upgraded("0.8.1", "A message right behind the request", sends: "The request and a text frame in one write, before any answer.",
                     checks: ["early-data"]) { $0.earlyMessage = "sent with the request" },
            ScenarioCase("0.8.2", "The request written one byte at a time", sends: "The standard request, one byte per write, 1 ms apart.",
                         expectation: "101 Switching Protocols; then an echo.", rfc: rfcRequest, checks: ["handshake"],
                         deadline: .seconds(60)) {
                Chop.writes(into: 1, delay: .milliseconds(1))
                Open.standard
                Chop.off
                Send.text("after a slow request")
                Expect.text("after a slow request")
            },
            refused("0.8.3", "A request head over 16 KiB", sends: "The standard request plus a 20000-byte header.",
                    statuses: [400, 431], checks: ["head-size"]) { $0.overrides = [.add("X-Wsspec-Padding", String(repeating: "p", count: 20000))] },
            handshake("0.8.4", "Not HTTP at all", sends: "A request line that is not HTTP (GARBAGE instead of the method and version).",
                      expectation: "A 400 refusal (OK), or closing without an answer (NON-STRICT); never an upgrade.",
                      rfc: rfcRequest, checks: ["handshake-refused"]) { spec in
                spec.method = "GARBAGE GARBAGE"
                spec.httpVersion = "NOT-HTTP"
                spec.expect = .refusal([400])
            },
        ]
    }
}
