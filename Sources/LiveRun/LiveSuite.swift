public import NIOCore
public import NIOPosix
import NIOSSL
public import Scenario
import Transport
import WebSocketCore
public import WebSocketNIO

/// Runs cases against a live server over TCP or TLS, each case on its own connection, `jobs` at a time.
public struct LiveSuite: Sendable {
    public var url: WebSocketURL
    /// The run's parameters; the path and `Host` header come from the URL.
    public var parameters: RunParameters
    public var connectTimeout: Duration
    /// Where each case's mask keys and handshake nonce come from (`CaseID.seed(inRun:)` of this).
    public var seed: UInt64
    /// Each case's WebSocket is an extended CONNECT on a stream of its own HTTP/2 connection (RFC 8441): h2c with
    /// prior knowledge for `ws://`, ALPN `h2` for `wss://`. A server that takes none is unreachable, not run over
    /// HTTP/1.1 instead.
    public let http2: Bool
    let tls: NIOSSLContext?
    let group: any EventLoopGroup
    /// What the cases sent, so that one that receives another's message can say so (a relaying server).
    private let crossTalk = CrossTalkMonitor()
    /// Where each failing case's capsule goes; nil: no connection is recorded.
    public var capsules: CapsuleRecorder?

    public init(
        url: WebSocketURL, parameters: RunParameters = RunParameters(), trust: ClientTrust = .system,
        connectTimeout: Duration = .seconds(5), seed: UInt64 = 1, http2: Bool = false,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(TLSSetupError) {
        self.url = url
        self.parameters = parameters
        self.parameters.path = url.target
        self.parameters.host = url.hostHeader
        self.connectTimeout = connectTimeout
        self.seed = seed
        self.group = group
        self.http2 = http2
        tls = url.secure ? try TLSSettings.clientContext(trust, applicationProtocols: http2 ? ["h2"] : []) : nil
    }

    private func connect() async throws(ConnectError) -> NIOTransport {
        if http2 {
            try await NIOTransport.connectHTTP2(to: url, tls: tls, timeout: connectTimeout, group: group)
        } else {
            try await NIOTransport.connect(to: url, tls: tls, timeout: connectTimeout, group: group)
        }
    }

    /// Checks that the URL is a WebSocket endpoint at all: it connects, sends a valid opening request and
    /// wants it accepted (a 101, or a 2xx over HTTP/2) within the handshake timeout. A server that fails this cannot be tested.
    public func probe() async throws(ConnectError) {
        let transport = try await connect()
        let outcome = await openingHandshake(on: transport)
        await transport.finish()
        try outcome.get()
    }

    private func openingHandshake(on transport: NIOTransport) async -> Result<Void, ConnectError> {
        func notWebSocket(_ detail: String) -> Result<Void, ConnectError> { .failure(ConnectError(url: url, cause: .notWebSocket, detail: detail)) }
        let request = parameters.standardRequest(nonce: (0..<16).map { _ in UInt8.random(in: 0...255) })
        let outcome = await ClientOpening.open(
            request, over: transport, maskKeys: FixedMaskKeySource(.zero),
            timeout: parameters.handshakeTimeout)
        switch outcome {
        case .upgraded(_, _, let connection):
            // Leave politely: a normal closure, masked as a client must.
            if (try? connection.close(code: .normalClosure)) != nil { await transport.write(connection.takeOutbound()) }
            return .success(())
        case .refused(let answer):
            return notWebSocket("the opening request was answered \(answer.response.status) \(answer.response.shownReasonPhrase)")
        case .notHTTP(let error, _):
            return notWebSocket("the answer is not an HTTP response (\(error))")
        case .invalidUpgrade:
            // A WebSocket endpoint, if a broken one: its cases will say how (FAILED, not unreachable).
            return .success(())
        case .ended:
            return notWebSocket("the server closed the connection without answering the opening request")
        case .timedOut:
            return .failure(
                ConnectError(
                    url: url, cause: .timeout,
                    detail: "no answer to the opening request within \(parameters.handshakeTimeout.formatted)"))
        }
    }

    /// Runs one case on a fresh connection. A connection that cannot be made FAILS the case.
    public func run(_ scenario: ScenarioCase) async -> CaseResult {
        let seed = scenario.id.seed(inRun: seed)
        if let result = CaseResult.unimplemented(scenario, parameters: parameters, seed: seed) { return result }
        let transport: NIOTransport
        do {
            transport = try await connect()
        } catch {
            return CaseResult.notRun(scenario, reason: error.description, seed: seed)
        }
        var result =
            if let capsules {
                await capsules.run(
                    scenario, on: transport, parameters: parameters, seed: seed, runSeed: self.seed, target: url.description,
                    http2Scheme: http2 ? (url.secure ? "https" : "http") : nil, crossTalk: crossTalk)
            } else {
                await ScenarioRunner.run(scenario, on: transport, parameters: parameters, seed: seed, crossTalk: crossTalk)
            }
        await transport.finish()
        result.seed = seed
        return result
    }

    /// Runs `cases`, `jobs` at a time, the longest first; results come back in the cases' order. `started`
    /// hears of each case as it starts, `progress` of each result as it arrives.
    public func run(
        _ cases: [ScenarioCase], jobs: Int = 1,
        started: @escaping @Sendable (ScenarioCase) -> Void = { _ in },
        progress: @escaping @Sendable (CaseResult) -> Void = { _ in }
    ) async -> [CaseResult] {
        let parameters = parameters
        return await ParallelCases.run(
            cases, jobs: jobs, estimate: { $0.timing(parameters).estimate() },
            started: started, progress: progress
        ) { await run($0) }
    }
}
