public import HTTP2Section
public import Scenario
import WebSocketNIO

extension LiveSuite {
    /// Runs section 14 (WebSocket over HTTP/2) against the server, each case on a connection of its own: TCP with
    /// prior knowledge for `ws://`, TLS with ALPN h2 for `wss://`, its frames the section's probe's own. A connection
    /// that cannot be made fails the case, as in the catalog.
    public func runHTTP2Section(
        _ cases: [HTTP2Case], jobs: Int = 1, progress: @escaping @Sendable (CaseResult) -> Void = { _ in }
    ) async -> [CaseResult] {
        let runner = HTTP2SectionRunner(parameters: parameters, scheme: url.secure ? "https" : "http")
        return await ParallelCases.run(cases, jobs: jobs, progress: progress) { scenario in
            let seed = scenario.id.seed(inRun: seed)
            let transport: NIOTransport
            do {
                transport = try await NIOTransport.connect(to: url, tls: tls, timeout: connectTimeout, group: group)
            } catch {
                return runner.notRun(scenario, reason: "\(error)", seed: seed)
            }
            let result = await runner.run(scenario, over: transport, seed: seed)
            await transport.finish()
            return result
        }
    }
}
