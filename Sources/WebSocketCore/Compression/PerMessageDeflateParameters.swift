/// The four parameters of permessage-deflate (RFC 7692 §7.1), as one element of `Sec-WebSocket-Extensions`
/// carries them: a client's offer or a server's response.
public struct PerMessageDeflateParameters: Sendable, Hashable, CustomStringConvertible {
    public static let extensionName = "permessage-deflate"
    /// The window sizes RFC 7692 allows, as base-2 logarithms.
    public static let windowBitsRange = 8...15

    /// The server starts every message it sends with an empty LZ77 window (§7.1.1.1).
    public var serverNoContextTakeover = false
    /// The client starts every message it sends with an empty LZ77 window (§7.1.1.2).
    public var clientNoContextTakeover = false
    /// The largest window the server may compress with (§7.1.2.1); `nil` when absent (15 then).
    public var serverMaxWindowBits: Int?
    /// In an offer: the client can honour a limit on its own window, and `clientMaxWindowBits` may be absent.
    public var clientMaxWindowBitsAccepted = false
    /// The largest window the client may compress with (§7.1.2.2); `nil` when absent or without a value.
    public var clientMaxWindowBits: Int?

    public init(
        serverNoContextTakeover: Bool = false, clientNoContextTakeover: Bool = false,
        serverMaxWindowBits: Int? = nil, clientMaxWindowBitsAccepted: Bool = false,
        clientMaxWindowBits: Int? = nil
    ) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBitsAccepted = clientMaxWindowBitsAccepted || clientMaxWindowBits != nil
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// Whether the element is an offer (a client's) or a response (a server's): only an offer may carry
    /// `client_max_window_bits` without a value.
    public enum Role: Sendable { case offer, response }

    /// Reads an element of `Sec-WebSocket-Extensions` named permessage-deflate; throws on any parameter
    /// RFC 7692 does not define, a duplicate, or a value outside its grammar.
    public init(_ element: ExtensionOffer, as role: Role) throws(PerMessageDeflateError) {
        guard element.name.caseInsensitiveEquals(Self.extensionName) else { throw .notPerMessageDeflate(element.name) }
        var seen: Set<String> = []
        for (rawName, value) in element.parameters {
            let name = rawName.lowercased()
            guard seen.insert(name).inserted else { throw .duplicateParameter(name) }
            switch name {
            case "server_no_context_takeover", "client_no_context_takeover":
                guard value == nil else { throw .unexpectedValue(parameter: name, value: value!) }
                if name == "server_no_context_takeover" { serverNoContextTakeover = true } else { clientNoContextTakeover = true }
            case "server_max_window_bits":
                guard let value else { throw .missingValue(parameter: name) }
                serverMaxWindowBits = try Self.windowBits(value, parameter: name)
            case "client_max_window_bits":
                clientMaxWindowBitsAccepted = true
                if let value {
                    clientMaxWindowBits = try Self.windowBits(value, parameter: name)
                } else if role == .response {
                    throw .missingValue(parameter: name)
                }
            default:
                throw .unknownParameter(rawName)
            }
        }
    }

    /// "A decimal integer value without leading zeroes between 8 to 15, inclusive" (§7.1.2.1).
    private static func windowBits(_ value: String, parameter: String) throws(PerMessageDeflateError) -> Int {
        guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            !value.hasPrefix("0"), value.utf8.count <= 2, let bits = Int(value), windowBitsRange.contains(bits)
        else { throw .invalidValue(parameter: parameter, value: value) }
        return bits
    }

    /// The element of `Sec-WebSocket-Extensions` that says these parameters.
    public var element: ExtensionOffer {
        var parameters: [(name: String, value: String?)] = []
        if serverNoContextTakeover { parameters.append(("server_no_context_takeover", nil)) }
        if clientNoContextTakeover { parameters.append(("client_no_context_takeover", nil)) }
        if let serverMaxWindowBits { parameters.append(("server_max_window_bits", String(serverMaxWindowBits))) }
        if let clientMaxWindowBits {
            parameters.append(("client_max_window_bits", String(clientMaxWindowBits)))
        } else if clientMaxWindowBitsAccepted {
            parameters.append(("client_max_window_bits", nil))
        }
        return ExtensionOffer(name: Self.extensionName, parameters: parameters)
    }

    public var description: String { element.description }
}

/// Why an element of `Sec-WebSocket-Extensions` is not a valid permessage-deflate offer or response.
public enum PerMessageDeflateError: Error, Sendable, Hashable, CustomStringConvertible {
    case notPerMessageDeflate(String)
    case unknownParameter(String)
    case duplicateParameter(String)
    case missingValue(parameter: String)
    case unexpectedValue(parameter: String, value: String)
    case invalidValue(parameter: String, value: String)
    /// A response that grants what the offer did not ask for, or more than it allowed (§7.1.2).
    case responseExceedsOffer(String)

    public var description: String {
        switch self {
        case .notPerMessageDeflate(let name): "\(name.debugDescription) is not permessage-deflate"
        case .unknownParameter(let name): "unknown permessage-deflate parameter \(name.debugDescription)"
        case .duplicateParameter(let name): "permessage-deflate parameter \(name) appears twice"
        case .missingValue(let name): "\(name) needs a value from 8 to 15"
        case .unexpectedValue(let name, let value): "\(name) takes no value, got \(value.debugDescription)"
        case .invalidValue(let name, let value): "\(name)=\(value.debugDescription) is not a number from 8 to 15 without leading zeros"
        case .responseExceedsOffer(let why): "the response does not fit the offer: \(why)"
        }
    }
}
