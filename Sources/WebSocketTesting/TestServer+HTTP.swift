import Transport
public import WebSocketCore
import WireSim

extension TestServer {
    /// Sends one HTTP/1.1 request on a connection of its own and returns the response: for the HTTP routes an
    /// application serves beside its WebSocket routes (a framework's application; a `WebSocketRouter` answers
    /// WebSocket upgrades only).
    /// - Parameters:
    ///   - bodyLimit: a larger response body throws `TestHTTPError.bodyTooLarge` instead of filling memory.
    ///   - timeout: virtual time for the whole exchange.
    public func request(
        _ target: String, method: String = "GET", headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        bodyLimit: Int = 16 << 20, timeout: Duration = .seconds(10)
    ) async throws -> TestHTTPResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for field in headers { head += "\(field.name): \(field.value)\r\n" }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) { head += "Content-Length: \(body.count)\r\n" }
        head += "Connection: close\r\n\r\n"
        let request = Array(head.utf8) + body
        let noBody = method == "HEAD"
        return try await drive(timeout: timeout) { [self] in
            let transport = SimulatedTransport(link: openLink(named: "http \(method) \(target)"))
            return { @Sendable in
                _ = await transport.write(request, until: timeout)
                var reader = HTTPResponseReader(bodyLimit: bodyLimit, noBody: noBody)
                while true {
                    switch await transport.read(until: timeout) {
                    case .bytes(let bytes):
                        if let response = try reader.append(bytes) {
                            await transport.close()
                            return response
                        }
                    case .endOfStream, .reset:
                        await transport.abort()
                        if let response = reader.finishAtEnd() { return response }
                        throw TestHTTPError.incompleteResponse(receivedBytes: reader.receivedBytes)
                    case .timedOut:
                        await transport.abort()
                        throw TestHTTPError.timedOut(after: timeout)
                    }
                }
            }
        }
    }
}
