public import WebSocketCore

/// The upgrade request as a handler and middleware see it. It stays the same for the whole connection.
public struct WebSocketRequest: Sendable, Hashable {
    /// The request target's path, without the query.
    public var path: String
    /// The query string after `?`, if any, undecoded.
    public var query: String?
    public var headers: HTTPHeaders
    /// Values of the route's `:name` segments, by name.
    public var parameters: [String: String]
    /// The subprotocol the server chose from the client's offer, if any.
    public var subprotocol: String?
    /// What middleware learned about the request (an authenticated user, say), by key.
    public var attributes: [String: String]

    /// The value of the header field `name` (any case) when the request has exactly one such field; `nil`
    /// when it has none or several. `headers[name]` gives every value.
    public func header(_ name: String) -> String? { headers.single(name) }

    public init(
        path: String, query: String? = nil, headers: HTTPHeaders = HTTPHeaders(),
        parameters: [String: String] = [:], subprotocol: String? = nil, attributes: [String: String] = [:]
    ) {
        self.path = path
        self.query = query
        self.headers = headers
        self.parameters = parameters
        self.subprotocol = subprotocol
        self.attributes = attributes
    }
}
