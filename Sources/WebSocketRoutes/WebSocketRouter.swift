public import WebSocketCore

/// The route table: which handler serves which path, with what mode, keepalive and middleware.
///
///     var router = WebSocketRouter()
///     router.ws("/echo") { message, _ in message }
///     router.group("/rooms", middleware: [TokenGuard()]) { rooms in
///         rooms.ws("/:room", ping: .every(.seconds(30)), handler: ChatHandler())
///     }
public struct WebSocketRouter: Sendable {
    public var configuration: ServerConfiguration
    private(set) var routes: [Route] = []
    private var prefix = RoutePattern("/")
    private var middleware: [any WebSocketMiddleware] = []

    public init(configuration: ServerConfiguration = ServerConfiguration()) {
        self.configuration = configuration
    }

    /// A route served by a handler with lifecycle callbacks.
    /// - Parameters:
    ///   - mode: which way data flows (see `WebSocketMode`).
    ///   - runOnConnect: call `onMessage(nil, _)` once right after `onOpen` (always so for `.sendOnly`).
    ///   - ping: keepalive; nil for none.
    ///   - subprotocols: those the route speaks, most preferred first.
    public mutating func ws(
        _ path: String, mode: WebSocketMode = .twoWay, runOnConnect: Bool = false,
        ping: PingPolicy? = nil, subprotocols: [String] = [], handler: some WebSocketHandler
    ) {
        add(path, mode: mode, runOnConnect: runOnConnect, ping: ping, subprotocols: subprotocols, body: .callbacks(handler))
    }

    /// A route answered message by message: the closure's result is sent back (nothing when nil). It is
    /// called with `nil` once at open on a run-on-connect or send-only route.
    public mutating func ws(
        _ path: String, mode: WebSocketMode = .twoWay, runOnConnect: Bool = false,
        ping: PingPolicy? = nil, subprotocols: [String] = [],
        reply: @escaping @Sendable (WebSocketMessage?, WebSocketConnection) async throws -> WebSocketMessage?
    ) {
        add(
            path, mode: mode, runOnConnect: runOnConnect, ping: ping, subprotocols: subprotocols,
            body: .callbacks(ReplyHandler(reply: reply)))
    }

    /// A route whose function owns the connection: it reads `connection.messages` and sends as it likes;
    /// the connection closes normally when it returns, and with 1011 when it throws.
    public mutating func ws(
        _ path: String, mode: WebSocketMode = .twoWay, ping: PingPolicy? = nil, subprotocols: [String] = [],
        stream: @escaping @Sendable (WebSocketConnection) async throws -> Void
    ) {
        add(path, mode: mode, runOnConnect: false, ping: ping, subprotocols: subprotocols, body: .stream(stream))
    }

    /// Routes under a common path prefix, behind the group's middleware (after any outer group's).
    public mutating func group(
        _ prefix: String, middleware: [any WebSocketMiddleware] = [],
        _ build: (inout WebSocketRouter) -> Void
    ) {
        var group = self
        group.routes = []
        group.prefix = RoutePattern(prefix).prefixed(by: self.prefix)
        group.middleware = self.middleware + middleware
        build(&group)
        routes += group.routes
    }

    /// A fresh server session for one connection, for any host (the simulated network, NIO).
    public func makeSession() -> any ServerSession { RouterSession(router: self) }

    private mutating func add(
        _ path: String, mode: WebSocketMode, runOnConnect: Bool, ping: PingPolicy?,
        subprotocols: [String], body: RouteBody
    ) {
        routes.append(
            Route(
                pattern: RoutePattern(path).prefixed(by: prefix), mode: mode,
                runOnConnect: runOnConnect || mode == .sendOnly, ping: ping, subprotocols: subprotocols,
                middleware: middleware, body: body))
    }

    /// Whether a route answers this request target (its path; the query is not matched): how a server that serves
    /// other things from the same port (an HTTP framework) tells which WebSocket requests are this router's.
    public func hasRoute(forTarget target: String) -> Bool { route(for: Self.path(of: target)) != nil }

    /// A request target's path: what comes before its query.
    static func path(of target: String) -> String { String(target.prefix { $0 != "?" }) }

    /// The first route whose pattern matches `path`, with the parameters' values.
    func route(for path: String) -> (route: Route, parameters: [String: String])? {
        for route in routes {
            if let parameters = route.pattern.match(path) { return (route, parameters) }
        }
        return nil
    }
}

/// One registered route.
struct Route: Sendable {
    let pattern: RoutePattern
    let mode: WebSocketMode
    let runOnConnect: Bool
    let ping: PingPolicy?
    let subprotocols: [String]
    let middleware: [any WebSocketMiddleware]
    let body: RouteBody
}
