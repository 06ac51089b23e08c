/// Runs before the upgrade on every route of a group, outermost group first: it may refuse the upgrade
/// with an HTTP status (a guard) or record what it learned in the request's attributes.
public protocol WebSocketMiddleware: Sendable {
    func prepare(_ request: inout WebSocketRequest) throws(UpgradeRefusal)
}

/// The answer of a middleware that turns an upgrade down: the client gets `status` and `reason` as the
/// HTTP response, and no WebSocket.
public struct UpgradeRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var status: Int
    public var reason: String

    public init(status: Int, reason: String = "") {
        self.status = status
        self.reason = reason
    }

    public static let unauthorized = UpgradeRefusal(status: 401, reason: "unauthorized")
    public static let forbidden = UpgradeRefusal(status: 403, reason: "forbidden")

    public var description: String { "HTTP \(status)\(reason.isEmpty ? "" : " (\(reason))")" }
}

/// Middleware from a closure: `UpgradeGuard { request in guard ... else { throw UpgradeRefusal.unauthorized } }`.
public struct UpgradeGuard: WebSocketMiddleware {
    private let body: @Sendable (inout WebSocketRequest) throws(UpgradeRefusal) -> Void

    public init(_ body: @escaping @Sendable (inout WebSocketRequest) throws(UpgradeRefusal) -> Void) {
        self.body = body
    }

    /// A closure without a typed `throws`, as Swift infers one: an `UpgradeRefusal` it throws refuses with
    /// its status; any other error refuses with 500, its text kept from the client.
    @_disfavoredOverload
    public init(_ body: @escaping @Sendable (inout WebSocketRequest) throws -> Void) {
        self.body = { (request: inout WebSocketRequest) throws(UpgradeRefusal) in
            do {
                try body(&request)
            } catch let refusal as UpgradeRefusal {
                throw refusal
            } catch {
                throw UpgradeRefusal(status: 500, reason: "internal server error")
            }
        }
    }

    public func prepare(_ request: inout WebSocketRequest) throws(UpgradeRefusal) { try body(&request) }
}
