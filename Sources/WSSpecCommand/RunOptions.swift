import ArgumentParser
import Scenario
import WebSocketCore

/// What the run knows about the server's keepalive behaviour (section 11) and its subprotocol.
struct ServerBehaviourOptions: ParsableArguments {
    @Option(name: .customLong("server-ping-interval"), help: "How often the server pings on its own (enables 11.2/11.3), e.g. 5s.")
    var pingInterval: DurationArgument?

    @Option(name: .customLong("server-pong-timeout"), help: "How long the server waits for a pong before closing (11.3).")
    var pongTimeout: DurationArgument?

    @Option(name: .customLong("server-close-timeout"), help: "How long the server waits for the answer to its close frame (11.4).")
    var closeTimeout: DurationArgument?

    @Option(
        name: .customLong("idle-period"),
        help: "How long an idle connection must stay open (11.5.1; default 5s, e.g. 60s for a server that drops idle peers).")
    var idlePeriod: DurationArgument?

    @Option(help: "A subprotocol the server speaks (enables the 0.6.x subprotocol cases).")
    var subprotocol: String?

    @Option(
        name: .customLong("offer-subprotocol"),
        help: ArgumentHelp(
            "Offer this subprotocol in every case's opening handshake, for a server that requires one (Autobahn|Testsuite's `protocols`); it also counts as --subprotocol.",
            valueName: "subprotocol"))
    var offerSubprotocol: String?

    @Option(
        help: ArgumentHelp(
            "What the server does not implement, comma-separated (\(OptionalFeature.allCases.map(\.rawValue).joined(separator: ", "))): the cases that need it are UNIMPLEMENTED, with the reason, instead of FAILED.",
            valueName: "features"))
    var without: [FeatureList] = []

    var withoutFeatures: Set<OptionalFeature> { Set(without.flatMap(\.features)) }

    /// A subprotocol is a token (RFC 6455 §4.1, RFC 9110 §5.6.2): anything else would split or corrupt the
    /// request (`wsspec run`) or the 101 (`wsspec serve`).
    static func validateSubprotocol(_ value: String) throws {
        guard HTTPHeadParser.isToken(value) else {
            throw ValidationError("--subprotocol must be a token (letters, digits and !#$%&'*+-.^_`|~), got \(value.debugDescription)")
        }
    }

    func validate() throws {
        if let subprotocol { try Self.validateSubprotocol(subprotocol) }
        if let offerSubprotocol { try Self.validateSubprotocol(offerSubprotocol) }
        if withoutFeatures.contains(.subprotocol) && offerSubprotocol != nil {
            throw ValidationError("--without subprotocol contradicts --offer-subprotocol")
        }
        let without = withoutFeatures
        if without.contains(.subprotocol) && subprotocol != nil { throw ValidationError("--without subprotocol contradicts --subprotocol") }
        if without.contains(.keepalive) && pingInterval != nil {
            throw ValidationError("--without keepalive contradicts --server-ping-interval")
        }
    }
}

/// `--without permessage-deflate,keepalive`.
struct FeatureList: ExpressibleByArgument {
    var features: [OptionalFeature]

    init?(argument: String) {
        let names = argument.split(separator: ",").map { $0.filter { $0 != " " }.lowercased() }.filter { !$0.isEmpty }
        let features = names.compactMap(OptionalFeature.init(rawValue:))
        guard !features.isEmpty, features.count == names.count else { return nil }
        self.features = features
    }

    static var allValueStrings: [String] { OptionalFeature.allCases.map(\.rawValue) }
}

/// `--header Name:Value`: a header field added to every opening request.
struct HeaderArgument: ExpressibleByArgument {
    var name: String
    var value: String

    init?(argument: String) {
        guard let colon = argument.firstIndex(of: ":") else { return nil }
        name = String(argument[..<colon]).filter { $0 != " " }
        value = String(argument[argument.index(after: colon)...].drop(while: { $0 == " " }))
        // A token name and a value without line breaks: anything else would split the request.
        guard HTTPHeadParser.isToken(name),
            !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\t" })
        else { return nil }
    }
}

extension RunParameters {
    /// Applies what the command line says about the server.
    mutating func apply(_ options: ServerBehaviourOptions) {
        if let value = options.pingInterval { serverPingInterval = value.duration }
        if let value = options.pongTimeout { serverPongTimeout = value.duration }
        if let value = options.closeTimeout { serverCloseTimeout = value.duration }
        if let value = options.idlePeriod { idlePeriod = value.duration }
        if let value = options.offerSubprotocol {
            requiredSubprotocol = value
            subprotocol = value
        }
        if let value = options.subprotocol { subprotocol = value }
        without = options.withoutFeatures
    }

    mutating func apply(headers: [HeaderArgument], origin: String?) {
        for header in headers { extraHeaders.add(name: header.name, value: header.value) }
        if let origin { self.origin = origin }
    }
}
