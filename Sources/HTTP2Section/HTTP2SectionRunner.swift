public import Scenario
public import Transport
import WebSocketCore

/// Runs the HTTP/2 section's cases, each on a connection of its own that `connect` makes (raw bytes: TCP or TLS
/// with ALPN h2 live, a simulated link in-process), and judges them into the catalog's results, so reports, baselines
/// and the exit status take them as they take every other case.
public struct HTTP2SectionRunner: Sendable {
    public var parameters: RunParameters
    /// `:scheme`: `http` over cleartext HTTP/2, `https` over TLS.
    public var scheme: String

    public init(parameters: RunParameters, scheme: String) {
        self.parameters = parameters
        self.scheme = scheme
    }

    /// What one case allows itself in all: the opening, a message or two and the close, with room for a stalled
    /// stream to be released.
    var budget: Duration { parameters.handshakeTimeout + parameters.closeTimeout * 3 + .seconds(10) }

    /// Runs a case over a fresh connection's transport and leaves the transport for the caller to close.
    public func run(_ scenario: HTTP2Case, over transport: any ByteTransport, seed: UInt64) async -> CaseResult {
        let began = transport.elapsed
        let streamWindow = scenario.probe == .streams(.stalledStream) ? 16 << 10 : 1 << 20
        let connection = HTTP2ProbeConnection(
            transport: transport, streamWindow: streamWindow, logLimit: parameters.maxObservations)
        let session = HTTP2ProbeSession(connection: connection, parameters: parameters, scheme: scheme, seed: seed)
        await connection.start(until: session.deadline(parameters.handshakeTimeout))
        var judgement: Judgement
        if await session.awaitServerSettings(until: session.deadline(parameters.handshakeTimeout)) {
            judgement = await HTTP2ProbeJudge(session: session, requirement: scenario.requirement).judge(scenario.probe)
        } else {
            judgement = Judgement(.failed, "no SETTINGS frame from the server: it does not speak HTTP/2 here (RFC 9113 §3.4)")
        }
        if judgement.verdict == .failed && scenario.requirement != .must && !judgement.always {
            judgement.verdict = scenario.requirement.verdictOnMismatch
        }
        let observed = connection.keptLog.map { Observation(time: $0.time - began, event: .recorded($0.text)) }
        return CaseResult.judged(
            id: scenario.id, title: scenario.title, sends: scenario.sends, expectation: scenario.expectation,
            requirement: scenario.requirement, rfcSections: scenario.rfcSections, verdict: judgement.verdict,
            reasons: judgement.reasons, acceptableOutcomes: [scenario.expectation], observed: observed,
            handshake: session.handshake, duration: transport.elapsed - began, seed: seed)
    }
}

extension HTTP2SectionRunner {
    /// A case that could not run (no connection): FAILED, with the reason, as the catalog's are.
    public func notRun(_ scenario: HTTP2Case, reason: String, seed: UInt64) -> CaseResult {
        CaseResult.judged(
            id: scenario.id, title: scenario.title, sends: scenario.sends, expectation: scenario.expectation,
            requirement: scenario.requirement, rfcSections: scenario.rfcSections, verdict: .failed, reasons: [reason],
            acceptableOutcomes: [scenario.expectation], observed: [], handshake: nil, duration: .zero, seed: seed)
    }
}

/// A verdict and why. `always`: FAILED whatever the case's level (the server broke a MUST of its own while the case
/// looked at a SHOULD).
struct Judgement {
    var verdict: Verdict
    var reasons: [String]
    var always = false

    init(_ verdict: Verdict, _ reason: String, always: Bool = false) {
        self.verdict = verdict
        reasons = [reason]
        self.always = always
    }
}

/// The probes, one function each: what they send, and how what came back is judged.
struct HTTP2ProbeJudge {
    let session: HTTP2ProbeSession
    let requirement: Requirement
    var parameters: RunParameters { session.parameters }
    var connection: HTTP2ProbeConnection { session.connection }

    func judge(_ probe: HTTP2Probe) async -> Judgement {
        switch probe {
        case .settingEnabled: settingEnabled()
        case .settingKept: await settingKept()
        case .refused(let edits, let versionAnswer): await refused(edits, versionAnswer: versionAnswer)
        case .refusalIsAResponse(let edits): await refusalIsAResponse(edits)
        case .responseLacks(let names): await responseLacks(names)
        case .closing(let probe): await closing(probe)
        case .framing(let probe): await framing(probe)
        case .streams(let probe): await streams(probe)
        }
    }

    private func after(_ duration: Duration) -> Duration { session.deadline(duration) }
    private var messageWait: Duration { parameters.closeTimeout + parameters.slack }

    // MARK: The setting

    private func settingEnabled() -> Judgement {
        let value = connection.serverSettings.first?.last { $0.id == HTTP2SettingID.enableConnectProtocol }?.value
        guard value == 1 else {
            return Judgement(
                .failed,
                "the server's SETTINGS have SETTINGS_ENABLE_CONNECT_PROTOCOL \(value.map { "= \($0)" } ?? "absent"): no client may open a WebSocket")
        }
        return Judgement(.ok, "SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 in the server's first SETTINGS")
    }

    private func settingKept() async -> Judgement {
        let (_, opening) = await session.open()
        if case .accepted(let webSocket, _) = opening {
            _ = await webSocket.send(text: "Hello, HTTP/2", until: after(messageWait))
            _ = await webSocket.next(until: after(messageWait))
            _ = await webSocket.close(until: after(messageWait))
            _ = await webSocket.awaitEnd(until: after(messageWait))
        }
        var enabled = false
        for (index, settings) in connection.serverSettings.enumerated() {
            for (id, value) in settings where id == HTTP2SettingID.enableConnectProtocol {
                if value == 1 { enabled = true }
                if value == 0 && enabled {
                    return Judgement(.failed, "SETTINGS frame \(index + 1) from the server sets SETTINGS_ENABLE_CONNECT_PROTOCOL back to 0")
                }
            }
        }
        guard enabled else { return Judgement(.failed, "the server never set SETTINGS_ENABLE_CONNECT_PROTOCOL to 1") }
        return Judgement(.ok, "\(connection.serverSettings.count) SETTINGS frame(s) from the server; none withdraws the setting")
    }

    // MARK: Requests the server must refuse

    private func refused(_ edits: [RequestEdit], versionAnswer: Bool) async -> Judgement {
        let (stream, opening) = await session.open(edits)
        switch opening {
        case .accepted(let webSocket, let fields):
            _ = await webSocket.close(until: after(messageWait))
            return Judgement(.failed, "the server accepted it as a WebSocket (\(Self.status(fields)))")
        case .acceptedBadly(let fields, _):
            return Judgement(.failed, "the server accepted it (\(Self.status(fields)))")
        case .refused(let status, let fields, _):
            if versionAnswer, !fields.contains(where: { $0.name == "sec-websocket-version" && $0.value.contains("13") }) {
                return Judgement(.failed, "refused with \(status), but without sec-websocket-version: 13 (RFC 6455 §4.4)")
            }
            return Judgement(.ok, "refused with \(status)")
        case .other(let event):
            return refusedOtherwise(event, stream: stream, versionAnswer: versionAnswer)
        }
    }

    private func refusedOtherwise(_ event: HTTP2ProbeSession.StreamEvent, stream: UInt32, versionAnswer: Bool) -> Judgement {
        switch event {
        case .reset(let code):
            if versionAnswer {
                return Judgement(
                    .failed,
                    "the stream was reset (\(HTTP2ErrorCodeName.name(code))): no response names the versions the server speaks (RFC 6455 §4.4)")
            }
            return Judgement(.ok, "the stream was reset (\(HTTP2ErrorCodeName.name(code)))")
        case .goAway(let code):
            return Judgement(.ok, "a connection error: GOAWAY \(HTTP2ErrorCodeName.name(code)) (a stream error would do, RFC 9113 §8.1.1)")
        case .connectionEnded(let why):
            return Judgement(
                .nonStrict, "\(why) without GOAWAY: the request got no answer of its own (RFC 9113 §5.4.1 sends GOAWAY first)",
                always: true)
        case .timedOut:
            return Judgement(.failed, "no answer on stream \(stream) within \(parameters.handshakeTimeout.formatted)")
        case .headers, .data:
            return Judgement(.failed, "the stream's first frame is not a response")
        }
    }

    private func refusalIsAResponse(_ edits: [RequestEdit]) async -> Judgement {
        let (stream, opening) = await session.open(edits)
        switch opening {
        case .accepted(let webSocket, let fields):
            _ = await webSocket.close(until: after(messageWait))
            return Judgement(.failed, "the server accepted it as a WebSocket (\(Self.status(fields)))", always: true)
        case .acceptedBadly(let fields, _):
            return Judgement(.failed, "the server accepted it (\(Self.status(fields)))", always: true)
        case .refused(let status, _, let endStream):
            if endStream { return Judgement(.ok, "refused with \(status), ending the stream") }
            // A body may follow; the stream must end with it.
            let deadline = after(messageWait)
            while true {
                switch await session.next(on: stream, until: deadline) {
                case .data(_, true), .headers(_, true): return Judgement(.ok, "refused with \(status); the stream ends after its body")
                case .data, .headers: continue
                case .reset(let code):
                    return Judgement(.ok, "refused with \(status), then the stream was reset (\(HTTP2ErrorCodeName.name(code)))")
                case .goAway, .connectionEnded: return Judgement(.ok, "refused with \(status), then the connection ended")
                case .timedOut: return Judgement(.failed, "refused with \(status), but the stream stays open")
                }
            }
        case .other(let event):
            switch event {
            case .reset(let code):
                return Judgement(.failed, "a bare RST_STREAM (\(HTTP2ErrorCodeName.name(code))): no status a client could report")
            default:
                return refusedOtherwise(event, stream: stream, versionAnswer: false)
            }
        }
    }

    // MARK: The response

    private func responseLacks(_ names: [String]) async -> Judgement {
        let (_, opening) = await session.open()
        guard case .accepted(let webSocket, let fields) = opening else { return notOpened(opening) }
        _ = await webSocket.close(until: after(messageWait))
        let present = names.filter { name in fields.contains { $0.name.lowercased() == name } }
        guard present.isEmpty else {
            return Judgement(.failed, "the \(Self.status(fields)) carries \(present.joined(separator: ", "))")
        }
        return Judgement(.ok, "the \(Self.status(fields)) has none of \(names.joined(separator: ", "))")
    }

    private func notOpened(_ opening: HTTP2ProbeSession.Opening) -> Judgement {
        let what: String
        switch opening {
        case .accepted: what = "accepted"
        case .acceptedBadly(_, let why): what = "accepted on terms a client cannot take: \(why)"
        case .refused(let status, _, _): what = "refused with \(status)"
        case .other(.reset(let code)): what = "reset (\(HTTP2ErrorCodeName.name(code)))"
        case .other(.timedOut): what = "not answered within \(parameters.handshakeTimeout.formatted)"
        case .other(.goAway(let code)): what = "answered with GOAWAY \(HTTP2ErrorCodeName.name(code))"
        case .other(.connectionEnded(let why)): what = "not answered: \(why)"
        case .other: what = "not answered with a response"
        }
        return Judgement(.failed, "a valid extended CONNECT was \(what) (RFC 8441 §5)", always: true)
    }

    private static func status(_ fields: [HTTP2ProbeSession.Field]) -> String {
        ":status " + (fields.first { $0.name == ":status" }?.value ?? "none")
    }

    // MARK: Closing

    private func closing(_ probe: ClosingProbe) async -> Judgement {
        if probe == .resetOneOfTwo { return await resetOneOfTwo() }
        let (_, opening) = await session.open()
        guard case .accepted(let webSocket, _) = opening else { return notOpened(opening) }
        _ = await webSocket.close(endStream: probe == .clientEndsWithClose, until: after(messageWait))
        var closeCode: UInt16??
        let deadline = after(messageWait)
        reading: while closeCode == nil {
            switch await webSocket.next(until: deadline) {
            case .close(let code): closeCode = code
            case .text, .binary: continue
            case .violation(let why): return Judgement(.failed, "the server broke RFC 6455 while closing: \(why)", always: true)
            case .endOfStream, .reset, .connectionEnded, .timedOut: break reading
            }
        }
        guard let code = closeCode else {
            return Judgement(
                .failed, "no close frame from the server in answer to ours (RFC 6455 §5.5.1)",
                always: probe == .clientEndsWithClose || probe == .serverEndsStream)
        }
        let end = await webSocket.awaitEnd(until: after(messageWait))
        let answered = "the server answered with close \(code.map(String.init) ?? "without a code")"
        switch (probe, end) {
        case (_, nil):
            return Judgement(.failed, "\(answered), but left its side of the stream open (no END_STREAM, no RST_STREAM)", always: true)
        case (.endStreamNotReset, (false, let code?)?):
            return Judgement(.failed, "\(answered), then reset the stream (\(HTTP2ErrorCodeName.name(code))) instead of END_STREAM")
        case (_, (true, _)?):
            return Judgement(.ok, "\(answered), then END_STREAM")
        case (_, (_, let code)?):
            return Judgement(.ok, "\(answered), then reset the stream (\(code.map(HTTP2ErrorCodeName.name) ?? "?"))")
        }
    }

    private func resetOneOfTwo() async -> Judgement {
        let (first, openingA) = await session.open()
        guard case .accepted = openingA else { return notOpened(openingA) }
        let (_, openingB) = await session.open()
        guard case .accepted(let second, _) = openingB else { return notOpened(openingB) }
        await connection.send(.rstStream(first, code: HTTP2ErrorCodeName.cancel), until: after(messageWait))
        _ = await second.send(text: "after the reset", until: after(messageWait))
        let echo = await second.next(until: after(messageWait))
        guard case .text("after the reset") = echo else {
            return Judgement(.failed, "after RST_STREAM on stream \(first), the other WebSocket did not echo: \(Self.describe(echo))")
        }
        if let goAway = session.goAway {
            return Judgement(.failed, "the server sent GOAWAY \(HTTP2ErrorCodeName.name(goAway)) for one stream's reset")
        }
        _ = await second.close(until: after(messageWait))
        return Judgement(.ok, "the other WebSocket echoed after stream \(first) was reset; the connection stayed open")
    }

    private static func describe(_ event: WebSocketStream.Event) -> String {
        switch event {
        case .text(let text): "a text message \(ObservedEvent.summarize(Array(text.utf8), asText: true))"
        case .binary(let bytes): "a binary message of \(bytes.count) octets"
        case .close(let code): "a close frame (\(code.map(String.init) ?? "no code"))"
        case .violation(let why): "a violation: \(why)"
        case .endOfStream: "the end of its stream"
        case .reset(let code): "a reset of its stream (\(HTTP2ErrorCodeName.name(code)))"
        case .connectionEnded(let why): why
        case .timedOut: "nothing in time"
        }
    }

    // MARK: RFC 6455's framing over the stream

    private func framing(_ probe: FramingProbe) async -> Judgement {
        let offer = probe == .permessageDeflate ? [ExtensionOffer(name: "permessage-deflate")] : []
        let (_, opening) = await session.open(extensions: offer)
        guard case .accepted(let webSocket, _) = opening else { return notOpened(opening) }
        defer { _ = webSocket }
        switch probe {
        case .unmaskedClientFrame:
            let frame = (try? FrameSerializer.serialize(Frame(opcode: .text, payload: Array("unmasked".utf8)))) ?? []
            await connection.sendData(frame, stream: webSocket.stream, until: after(messageWait))
            switch await webSocket.next(until: after(messageWait)) {
            case .close(1002): return Judgement(.ok, "the server failed the WebSocket with close 1002")
            case .close(let code):
                return Judgement(.nonStrict, "the server closed with \(code.map(String.init) ?? "no code"), not 1002", always: true)
            case .endOfStream, .reset, .connectionEnded: return Judgement(.ok, "the server ended the stream")
            case let other: return Judgement(.failed, "the server took the unmasked frame: \(Self.describe(other))")
            }
        case .serverFramesUnmasked:
            return await echo(["masked both ways?"], on: webSocket)
        case .frameBoundariesIgnored:
            let messages = (1...6).map { "message \($0) of six" }
            for message in messages.prefix(3) { try? webSocket.connection.send(text: message) }
            _ = await webSocket.flush(chunk: 1, until: after(messageWait))
            for message in messages.suffix(3) { try? webSocket.connection.send(text: message) }
            _ = await webSocket.flush(until: after(messageWait))
            return await echo(messages, on: webSocket, sent: true)
        case .permessageDeflate:
            guard webSocket.negotiated.permessageDeflate != nil else {
                _ = await webSocket.close(until: after(messageWait))
                return Judgement(.unimplemented, "the server declined permessage-deflate", always: true)
            }
            return await echo([String(repeating: "compressible over HTTP/2 ", count: 40)], on: webSocket)
        }
    }

    /// Sends the messages (unless `sent`) and wants them back in order, then closes.
    private func echo(_ messages: [String], on webSocket: WebSocketStream, sent: Bool = false) async -> Judgement {
        if !sent { for message in messages { _ = await webSocket.send(text: message, until: after(messageWait)) } }
        for message in messages {
            let event = await webSocket.next(until: after(messageWait))
            guard case .text(let text) = event, text == message else {
                return Judgement(
                    .failed, "wanted the echo of \(ObservedEvent.summarize(Array(message.utf8), asText: true)), got \(Self.describe(event))")
            }
        }
        _ = await webSocket.close(until: after(messageWait))
        return Judgement(.ok, "\(messages.count) message(s) echoed in order")
    }

    // MARK: Several streams, flow control

    private func streams(_ probe: StreamsProbe) async -> Judgement {
        switch probe {
        case .twoWebSockets:
            let (_, a) = await session.open()
            guard case .accepted(let first, _) = a else { return notOpened(a) }
            let (_, b) = await session.open()
            guard case .accepted(let second, _) = b else { return notOpened(b) }
            for round in 1...2 {
                _ = await first.send(text: "first \(round)", until: after(messageWait))
                _ = await second.send(text: "second \(round)", until: after(messageWait))
            }
            for (webSocket, name) in [(first, "first"), (second, "second")] {
                for round in 1...2 {
                    let event = await webSocket.next(until: after(messageWait))
                    guard case .text("\(name) \(round)") = event else {
                        return Judgement(.failed, "the \(name) WebSocket's echo \(round): \(Self.describe(event))")
                    }
                }
                _ = await webSocket.close(until: after(messageWait))
            }
            return Judgement(.ok, "each WebSocket echoed its own two messages")
        case .stalledStream:
            return await stalledStream()
        case .largerThanWindow:
            let (_, opening) = await session.open()
            guard case .accepted(let webSocket, _) = opening else { return notOpened(opening) }
            let window = Int(connection.serverSettings.first?.last { $0.id == HTTP2SettingID.initialWindowSize }?.value ?? 65_535)
            let size = min(max(2 * window, 256 << 10), 4 << 20)
            let message = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try? webSocket.connection.send(binary: message)
            guard await webSocket.flush(until: after(messageWait + .seconds(5))) else {
                return Judgement(.failed, "the server's window stayed closed: \(size) octets could not be sent (RFC 9113 §6.9)")
            }
            let event = await webSocket.next(until: after(messageWait + .seconds(5)))
            guard case .binary(let echoed) = event, echoed == message else {
                return Judgement(.failed, "the \(size)-octet message's echo: \(Self.describe(event))")
            }
            _ = await webSocket.close(until: after(messageWait))
            return Judgement(.ok, "a \(size)-octet message (the server's stream window is \(window)) was echoed whole")
        case .requestBeside:
            let (_, opening) = await session.open()
            guard case .accepted(let webSocket, _) = opening else { return notOpened(opening) }
            let stream = connection.newStream()
            let get: [HTTP2ProbeSession.Field] = [
                (":method", "GET"), (":scheme", session.scheme), (":authority", parameters.host), (":path", parameters.path)
            ]
            await connection.sendHeaders(get, stream: stream, endStream: true, until: after(messageWait))
            var status: String?
            let deadline = after(messageWait)
            answer: while true {
                switch await session.next(on: stream, until: deadline) {
                case .headers(let fields, let end):
                    status = status ?? fields.first { $0.name == ":status" }?.value
                    if end { break answer }
                case .data(_, let end):
                    if end { break answer }
                case .reset(let code):
                    return Judgement(.failed, "the GET beside the WebSocket was reset (\(HTTP2ErrorCodeName.name(code))), not answered")
                case .goAway, .connectionEnded, .timedOut:
                    return Judgement(
                        .failed, "the GET beside the WebSocket got no whole response (\(status.map { ":status \($0)" } ?? "no :status"))")
                }
            }
            let verdict = await echo(["after the GET"], on: webSocket)
            guard verdict.verdict == .ok else { return verdict }
            return Judgement(.ok, "the GET got :status \(status ?? "none") and its stream ended; the WebSocket still echoes")
        }
    }

    private func stalledStream() async -> Judgement {
        let (_, a) = await session.open()
        guard case .accepted(let stalled, _) = a else { return notOpened(a) }
        let (_, b) = await session.open()
        guard case .accepted(let other, _) = b else { return notOpened(b) }
        connection.heldStreams.insert(stalled.stream)
        let message = (0..<(64 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        _ = await stalled.send(binary: message, until: after(messageWait))
        _ = await other.send(text: "meanwhile", until: after(messageWait))
        let event = await other.next(until: after(messageWait))
        guard case .text("meanwhile") = event else {
            return Judgement(.failed, "while the first WebSocket's window was closed, the second's echo: \(Self.describe(event))")
        }
        if let violation = connection.flowControlViolations.first { return Judgement(.failed, violation + " (RFC 9113 §6.9.1)") }
        // Open the window: every DATA from now on is given back as it arrives.
        await connection.release(stalled.stream, until: after(messageWait))
        let echoed = await stalled.next(until: after(messageWait + .seconds(5)))
        guard case .binary(let bytes) = echoed, bytes == message else {
            return Judgement(.failed, "once its window opened, the first WebSocket's echo: \(Self.describe(echoed))")
        }
        if let violation = connection.flowControlViolations.first { return Judgement(.failed, violation + " (RFC 9113 §6.9.1)") }
        _ = await other.close(until: after(messageWait))
        _ = await stalled.close(until: after(messageWait))
        return Judgement(.ok, "the second WebSocket echoed while the first was stalled; no DATA past the window; the first completed")
    }
}
