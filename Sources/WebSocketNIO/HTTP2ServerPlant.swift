package import NIOCore

/// What a test plants in a server's HTTP/2 pipeline to make it defective on purpose: how the HTTP/2 section (14.x)
/// shows that each of its cases fails against a server that breaks its rule. A real server has none (`none`), and
/// nothing outside this package can make one.
package struct HTTP2ServerPlant: Sendable {
    /// swift-nio-http2 checks header blocks both ways (RFC 9113 §8.2, §8.3); a lenient server does not.
    package var validatesHeaders = true
    /// Adds handlers to a connection's pipeline in front of its HTTP/2 handler: they see the connection's bytes.
    package var connection: (@Sendable (any Channel) throws -> Void)?
    /// Adds handlers to each stream's pipeline in front of its bridge: they see the stream's frames.
    package var stream: (@Sendable (any Channel) throws -> Void)?

    package init() {}

    package static let none = HTTP2ServerPlant()
}
