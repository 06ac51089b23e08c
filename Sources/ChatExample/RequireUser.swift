import Foundation
public import WebSocketRoutes

/// A guard: the upgrade needs a user name of 1-32 characters, in an `X-User` header or (what a browser can send)
/// a `user` query parameter; 401 without one. The name `root` is refused (403). The name becomes the request's
/// `user` attribute.
public struct RequireUser: WebSocketMiddleware {
    public init() {}

    public func prepare(_ request: inout WebSocketRequest) throws(UpgradeRefusal) {
        guard let user = request.headers.single("X-User") ?? Self.queryUser(request.query), (1...32).contains(user.count)
        else {
            throw UpgradeRefusal(status: 401, reason: "a user name of 1 to 32 characters is required (X-User, or ?user=)")
        }
        guard user != "root" else { throw .forbidden }
        request.attributes["user"] = user
    }

    /// The value of the first `user=` in the query, percent-decoded (nil when it does not decode).
    static func queryUser(_ query: String?) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix("user=") {
            return String(pair.dropFirst(5)).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return nil
    }
}
