import WebSocketCore

/// The `open` line: the opening request, deliberate changes to it, and the refusal a broken one must get.
extension ScenarioFileParserState {
    static let openUsage =
        "expected: open [subprotocol \"NAME\"]… [extension \"OFFER\"]… [origin \"ORIGIN\"] [method \"M\"] "
        + "[http-version \"V\"] [omit|duplicate \"FIELD\"]… [set|add \"FIELD\" \"VALUE\"]… [refused [STATUS…] [offering-version]]"

    /// `open …`: the request's fields and deliberate changes to it, then, for a request that breaks a rule,
    /// `refused [STATUS…] [offering-version]` (the server must refuse it, preferably with one of the statuses, and
    /// with `Sec-WebSocket-Version: 13` when asked; upgrading it is FAILED).
    func parseOpen(_ arguments: [ScenarioToken], _ keyword: ScenarioToken) throws(ScenarioFileError) -> HandshakeSpec {
        var spec = HandshakeSpec()
        var index = 0
        /// The next argument, which must be a quoted string.
        func value(after name: ScenarioToken) throws(ScenarioFileError) -> ScenarioToken {
            guard index < arguments.count, arguments[index].kind == .string else {
                throw error("'\(name.text)' needs a quoted value; \(Self.openUsage)", name)
            }
            defer { index += 1 }
            return arguments[index]
        }
        func field(after name: ScenarioToken) throws(ScenarioFileError) -> String {
            let field = try value(after: name)
            guard HTTPHeadParser.isToken(field.text) else { throw error("'\(field.text)' is not a header field name", field) }
            return field.text
        }
        func fieldValue(after name: ScenarioToken) throws(ScenarioFileError) -> String {
            let text = try value(after: name)
            // A line break would end the field and begin another: the request would not be the one written.
            guard !text.text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw error("a header value may not hold CR, LF or NUL", text)
            }
            return text.text
        }
        while index < arguments.count {
            let name = arguments[index]
            index += 1
            switch name.text {
            case "subprotocol": spec.subprotocols.append(try value(after: name).text)
            case "origin": spec.origin = try fieldValue(after: name)
            case "extension":
                let offer = try value(after: name)
                guard let offers = ExtensionOffer.parse([offer.text]), !offers.isEmpty else {
                    throw error("'\(offer.text)' is not an extension offer (e.g. \"permessage-deflate; client_max_window_bits\")", offer)
                }
                spec.extensions += offers
            case "method":
                spec.method = try field(after: name)
            case "http-version":
                let version = try value(after: name)
                guard !version.text.isEmpty, version.text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                    throw error("'\(version.text)' is not a protocol version (e.g. \"HTTP/1.0\")", version)
                }
                spec.httpVersion = version.text
            case "omit": spec.overrides.append(.omit(try field(after: name)))
            case "duplicate": spec.overrides.append(.duplicate(try field(after: name)))
            case "set", "add":
                let field = try field(after: name)
                let text = try fieldValue(after: name)
                spec.overrides.append(name.text == "set" ? .set(field, text) : .add(field, text))
            case "refused":
                var statuses: Set<Int> = []
                while index < arguments.count, arguments[index].kind == .word, let status = Int(arguments[index].text) {
                    guard (400...599).contains(status) else { throw error("a refusal status is a 4xx or 5xx status", arguments[index]) }
                    statuses.insert(status)
                    index += 1
                }
                var offeringVersion = false
                if index < arguments.count, arguments[index].kind == .word, arguments[index].text == "offering-version" {
                    offeringVersion = true
                    index += 1
                }
                spec.expect = .refusal(statuses.isEmpty ? nil : statuses, offeringVersion: offeringVersion)
            default:
                throw error(
                    "unknown open field '\(name.text)' (subprotocol, extension, origin, method, http-version, omit, duplicate, set, add, refused)",
                    name)
            }
        }
        return spec
    }
}
