public import WebSocketRoutes

/// A guard: the upgrade needs an `X-User` header with a name of 1-32 characters (401 without one), and
/// the name `root` is refused (403). The name becomes the request's `user` attribute.
public struct RequireUser: WebSocketMiddleware {
    public init() {}

    public func prepare(_ request: inout WebSocketRequest) throws(UpgradeRefusal) {
        guard let user = request.headers.single("X-User"), (1...32).contains(user.count) else {
            throw UpgradeRefusal(status: 401, reason: "an X-User header of 1 to 32 characters is required")
        }
        guard user != "root" else { throw .forbidden }
        request.attributes["user"] = user
    }
}
