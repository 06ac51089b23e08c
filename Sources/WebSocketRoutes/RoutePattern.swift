/// A route's path: literal segments and `:name` parameters, e.g. `/rooms/:room/ws`. Matching ignores
/// empty segments, so `/a//b/` matches `/a/b`.
struct RoutePattern: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
    }

    let segments: [Segment]

    init(_ path: String) {
        segments = Self.split(path).map { $0.hasPrefix(":") && $0.count > 1 ? .parameter(String($0.dropFirst())) : .literal($0) }
    }

    private init(segments: [Segment]) { self.segments = segments }

    /// This pattern under a group's prefix.
    func prefixed(by prefix: RoutePattern) -> RoutePattern { RoutePattern(segments: prefix.segments + segments) }

    /// The parameters' values when `path` matches, nil otherwise.
    func match(_ path: String) -> [String: String]? {
        let parts = Self.split(path)
        guard parts.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let literal): guard literal == part else { return nil }
            case .parameter(let name):
                // A value that does not decode (a bad escape, not UTF-8) matches no route.
                guard let value = part.removingPercentEncoding else { return nil }
                parameters[name] = value
            }
        }
        return parameters
    }

    var description: String {
        "/"
            + segments.map { segment in
                switch segment {
                case .literal(let literal): literal
                case .parameter(let name): ":" + name
                }
            }.joined(separator: "/")
    }

    private static func split(_ path: String) -> [String] { path.split(separator: "/").map(String.init) }
}

extension String {
    /// Decodes `%XX` escapes; nil when an escape is malformed or the result is not UTF-8.
    var removingPercentEncoding: String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
