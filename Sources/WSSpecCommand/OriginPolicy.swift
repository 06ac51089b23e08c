import Foundation

/// Which web pages may open serve-suite's URLs. Browsers send `Origin` with every WebSocket handshake and let any
/// page open a WebSocket to 127.0.0.1, so without a check a page in a local browser could run cases under any agent
/// name, or ask for reports again and again. By default only requests without `Origin` (client libraries, driver
/// scripts) and pages served from the machine itself (`http://127.0.0.1:…`, `http://[::1]`, `http://localhost`)
/// get through; `--allow-origin` adds exact origins, or `*` for any.
struct OriginPolicy: Sendable, Hashable {
    var allowed: Set<String> = []

    static let loopbackHosts: Set<String> = ["127.0.0.1", "[::1]", "localhost"]

    func allows(_ origins: [String]) -> Bool {
        guard !origins.isEmpty else { return true }
        // More than one Origin field is no origin anyone sent honestly.
        guard origins.count == 1, let origin = origins.first else { return false }
        if allowed.contains("*") || allowed.contains(Self.normalized(origin)) { return true }
        return Self.isLoopback(origin)
    }

    /// `scheme://host[:port]` in lower case, without a trailing slash.
    static func normalized(_ origin: String) -> String {
        var text = origin.trimmingCharacters(in: .whitespaces).lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    static func isLoopback(_ origin: String) -> Bool {
        let text = normalized(origin)
        guard let separator = text.range(of: "://") else { return false }
        let scheme = text[..<separator.lowerBound]
        guard scheme == "http" || scheme == "https" else { return false }
        var authority = text[separator.upperBound...]
        guard !authority.contains("@"), !authority.contains("/") else { return false }
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]"), authority[authority.index(after: colon)...].allSatisfy(\.isNumber) {
            authority = authority[..<colon]
        }
        return loopbackHosts.contains(String(authority))
    }
}
