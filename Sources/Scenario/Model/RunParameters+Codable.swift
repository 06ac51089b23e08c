import WebSocketCore

// A capsule keeps the parameters its case ran with, so that the case runs again as it ran. Every field but the
// path and host may be absent, and reads back as the default: capsules written before a field existed load.
extension RunParameters: Codable {
    private enum CodingKeys: String, CodingKey {
        case path, host, origin, extraHeaders, subprotocol, requiredSubprotocol, without, serverPingInterval
        case serverPongTimeout, serverCloseTimeout, idlePeriod, closeTimeout, handshakeTimeout, slack, maxReceivedBytes
        case maxLoggedPayloadBytes, maxObservations, roundTripBudget, wireLogLimit
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        path = try container.decode(String.self, forKey: .path)
        host = try container.decode(String.self, forKey: .host)
        origin = try container.decodeIfPresent(String.self, forKey: .origin)
        let fields = try container.decodeIfPresent([[String]].self, forKey: .extraHeaders) ?? []
        for field in fields {
            guard field.count == 2 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .extraHeaders, in: container, debugDescription: "a header field is a [name, value] pair")
            }
            extraHeaders.add(name: field[0], value: field[1])
        }
        subprotocol = try container.decodeIfPresent(String.self, forKey: .subprotocol)
        requiredSubprotocol = try container.decodeIfPresent(String.self, forKey: .requiredSubprotocol)
        without = Set(try container.decodeIfPresent([OptionalFeature].self, forKey: .without) ?? [])
        // Durations as whole nanoseconds, as the capsule's other times.
        func duration(_ key: CodingKeys) throws -> Duration? {
            try container.decodeIfPresent(Int64.self, forKey: key).map { .nanoseconds($0) }
        }
        serverPingInterval = try duration(.serverPingInterval)
        serverPongTimeout = try duration(.serverPongTimeout)
        serverCloseTimeout = try duration(.serverCloseTimeout)
        idlePeriod = try duration(.idlePeriod) ?? idlePeriod
        closeTimeout = try duration(.closeTimeout) ?? closeTimeout
        handshakeTimeout = try duration(.handshakeTimeout) ?? handshakeTimeout
        slack = try duration(.slack) ?? slack
        func read(_ key: CodingKeys, _ value: inout Int) throws {
            value = try container.decodeIfPresent(Int.self, forKey: key) ?? value
        }
        try read(.maxReceivedBytes, &maxReceivedBytes)
        try read(.maxLoggedPayloadBytes, &maxLoggedPayloadBytes)
        try read(.maxObservations, &maxObservations)
        try read(.roundTripBudget, &roundTripBudget)
        try read(.wireLogLimit, &wireLogLimit)
        // Crafted values get a named error here, not a trap in the runner.
        let durations = [serverPingInterval, serverPongTimeout, serverCloseTimeout, idlePeriod, closeTimeout, handshakeTimeout, slack]
        guard durations.allSatisfy({ ($0 ?? .zero) >= .zero }),
            [maxReceivedBytes, maxLoggedPayloadBytes, maxObservations, roundTripBudget, wireLogLimit].allSatisfy({ $0 >= 0 })
        else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: container.codingPath, debugDescription: "a limit or a duration is negative"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(host, forKey: .host)
        try container.encodeIfPresent(origin, forKey: .origin)
        if !extraHeaders.fields.isEmpty { try container.encode(extraHeaders.map { [$0.name, $0.value] }, forKey: .extraHeaders) }
        try container.encodeIfPresent(subprotocol, forKey: .subprotocol)
        try container.encodeIfPresent(requiredSubprotocol, forKey: .requiredSubprotocol)
        if !without.isEmpty { try container.encode(without.sorted { $0.rawValue < $1.rawValue }, forKey: .without) }
        try container.encodeIfPresent(serverPingInterval?.nanoseconds, forKey: .serverPingInterval)
        try container.encodeIfPresent(serverPongTimeout?.nanoseconds, forKey: .serverPongTimeout)
        try container.encodeIfPresent(serverCloseTimeout?.nanoseconds, forKey: .serverCloseTimeout)
        try container.encode(idlePeriod.nanoseconds, forKey: .idlePeriod)
        try container.encode(closeTimeout.nanoseconds, forKey: .closeTimeout)
        try container.encode(handshakeTimeout.nanoseconds, forKey: .handshakeTimeout)
        try container.encode(slack.nanoseconds, forKey: .slack)
        try container.encode(maxReceivedBytes, forKey: .maxReceivedBytes)
        try container.encode(maxLoggedPayloadBytes, forKey: .maxLoggedPayloadBytes)
        try container.encode(maxObservations, forKey: .maxObservations)
        try container.encode(roundTripBudget, forKey: .roundTripBudget)
        try container.encode(wireLogLimit, forKey: .wireLogLimit)
    }
}
