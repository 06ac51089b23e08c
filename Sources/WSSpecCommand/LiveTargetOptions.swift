import ArgumentParser
import LiveRun
import Scenario
import WebSocketNIO

/// How `fuzz`, `replay --url` and `shrink` reach a live server: its certificate trust and connect timeout, and the one
/// way they open a suite on it (the URL parsed, the suite made, a first opening handshake to check it is reachable).
struct LiveTargetOptions: ParsableArguments {
    @Flag(help: "Accept any TLS certificate (self-signed test servers only).")
    var insecure = false

    @Option(name: .customLong("ca-file"), help: "Trust the CAs in this PEM file for wss:// instead of the system's.")
    var caFile: String?

    @Option(name: .customLong("connect-timeout"), help: "How long a connection (and its TLS handshake) may take.")
    var connectTimeout = DurationArgument(argument: "5s")!

    func validate() throws {
        if insecure && caFile != nil { throw ValidationError("--insecure and --ca-file contradict each other") }
    }

    /// Whether any option was given (they mean nothing without a server to reach).
    var given: Bool { insecure || caFile != nil }

    /// A suite on the server at `text` that runs a capsule's case as it ran: over HTTP/2 when it did, with the same
    /// `:scheme` (a ws:// URL for http, wss:// for https).
    func suite(for capsule: Capsule, at text: String) async throws -> LiveSuite {
        let http2 = capsule.http2Scheme != nil
        if http2, (capsule.http2Scheme == "https") != text.lowercased().hasPrefix("wss:") {
            throw RunFailure.usage(
                "the capsule's case ran over HTTP/2 with :scheme \(capsule.http2Scheme ?? ""): give a \(capsule.http2Scheme == "https" ? "wss" : "ws"):// URL"
            )
        }
        return try await suite(text, parameters: capsule.parameters, seed: capsule.runSeed, http2: http2)
    }

    /// A suite on the server at `text`, checked reachable: a bad URL or TLS setting is a usage error (exit 2), a server
    /// that does not take a WebSocket is unreachable (exit 2).
    func suite(_ text: String, parameters: RunParameters, seed: UInt64, http2: Bool = false) async throws -> LiveSuite {
        let url: WebSocketURL
        do {
            url = try WebSocketURL(parsing: text)
        } catch {
            throw RunFailure.usage(error.description)
        }
        let trust: ClientTrust = insecure ? .insecure : caFile.map { .caFile($0) } ?? .system
        let suite: LiveSuite
        do {
            suite = try LiveSuite(
                url: url, parameters: parameters, trust: trust, connectTimeout: connectTimeout.duration, seed: seed, http2: http2)
        } catch {
            throw RunFailure.usage(error.description)
        }
        do {
            try await suite.probe()
        } catch {
            throw RunFailure.unreachable(error.description)
        }
        return suite
    }
}
