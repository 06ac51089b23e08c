import WebSocketCore

/// The `open` line of a scenario file, written from a request: the inverse of `ScenarioFileParser.parseOpen`, so that
/// generated cases (a fuzzed conversation, a shrunk one) are files a user can read, edit and run.
extension HandshakeSpec {
    /// The line, or nil where the file form cannot say the request (a target, a key, early data, a scripted answer,
    /// or an expectation other than an upgrade or a plain `refused`).
    public var scenarioFileLine: String? {
        guard target == nil, key == nil, earlyMessage == nil, answer == .standard else { return nil }
        var words = ["open"]
        func add(_ name: String, _ values: String...) { words += [name] + values.map(Self.quoted) }
        for subprotocol in subprotocols { add("subprotocol", subprotocol) }
        for offer in extensions { add("extension", offer.description) }
        if let origin { add("origin", origin) }
        if method != "GET" { add("method", method) }
        if httpVersion != "HTTP/1.1" { add("http-version", httpVersion) }
        for override in overrides {
            switch override {
            case .omit(let name): add("omit", name)
            case .duplicate(let name): add("duplicate", name)
            case .set(let name, let value): add("set", name, value)
            case .add(let name, let value): add("add", name, value)
            }
        }
        if expect == .upgrade() {
            return words.joined(separator: " ")
        }
        guard expect == .refusal(expect.refusalStatuses, offeringVersion: expect.refusalOffersVersion) else { return nil }
        words.append("refused")
        words += (expect.refusalStatuses ?? []).sorted().map(String.init)
        if expect.refusalOffersVersion { words.append("offering-version") }
        return words.joined(separator: " ")
    }

    /// Whether the request's method, version or header fields are changed on purpose: things of the HTTP/1.1 upgrade.
    var changesTheHTTP1Request: Bool { method != "GET" || httpVersion != "HTTP/1.1" || !overrides.isEmpty }

    /// A quoted string token: quotes and backslashes escaped, control characters as `\xHH`.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\": result += "\\" + String(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: result += "\\x" + Hex.encode([UInt8(scalar.value)])
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
