/// One element of a `Sec-WebSocket-Extensions` header: a name and its parameters (RFC 6455 §9.1).
public struct ExtensionOffer: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// Parameters in order; a parameter without a value has `nil`.
    public var parameters: [(name: String, value: String?)]

    public init(name: String, parameters: [(name: String, value: String?)] = []) {
        self.name = name
        self.parameters = parameters
    }

    public func parameter(_ name: String) -> String?? {
        parameters.first { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// Parses every extension in the fields' values; `nil` when the syntax is broken.
    public static func parse(_ headerValues: [String]) -> [ExtensionOffer]? {
        var offers: [ExtensionOffer] = []
        for element in headerValues.flatMap({ $0.split(separator: ",") }) {
            let parts = element.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingHTTPWhitespace() }
            guard let name = parts.first, !name.isEmpty,
                name.unicodeScalars.allSatisfy(HTTPHeadParser.isTokenCharacter)
            else { return nil }
            var offer = ExtensionOffer(name: name)
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingHTTPWhitespace() }
                guard let key = pair.first, !key.isEmpty,
                    key.unicodeScalars.allSatisfy(HTTPHeadParser.isTokenCharacter)
                else { return nil }
                var value = pair.count == 2 ? pair[1] : nil
                if let quoted = value, quoted.count >= 2, quoted.hasPrefix("\""), quoted.hasSuffix("\"") {
                    value = String(quoted.dropFirst().dropLast())
                }
                offer.parameters.append((key, value))
            }
            offers.append(offer)
        }
        return offers
    }

    public var description: String {
        let rendered = parameters.map { parameter in
            parameter.value.map { "\(parameter.name)=\($0)" } ?? parameter.name
        }
        return ([name] + rendered).joined(separator: "; ")
    }

    public static func == (lhs: ExtensionOffer, rhs: ExtensionOffer) -> Bool { lhs.description == rhs.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}
