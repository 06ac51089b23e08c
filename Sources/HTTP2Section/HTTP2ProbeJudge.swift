import Scenario
import WebSocketCore

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
        case .closing(let probe): await judged { () async throws(Judgement) in try await closing(probe) }
        case .framing(let probe): await judged { () async throws(Judgement) in try await framing(probe) }
        case .streams(let probe): await judged { () async throws(Judgement) in try await streams(probe) }
        }
    }

    /// A probe that opens WebSockets ends early, with its judgement, when the server will not open one.
    func judged(_ probe: () async throws(Judgement) -> Judgement) async -> Judgement {
        do {
            return try await probe()
        } catch {
            return error
        }
    }

    /// A WebSocket opened with the run's valid request, or the judgement of a server that would not open it.
    func openWebSocket(extensions: [ExtensionOffer] = []) async throws(Judgement) -> WebSocketStream {
        let (_, opening) = await session.open(extensions: extensions)
        guard case .accepted(let webSocket, _) = opening else { throw notOpened(opening) }
        return webSocket
    }

    func after(_ duration: Duration) -> Duration { session.deadline(duration) }
    var messageWait: Duration { parameters.closeTimeout + parameters.slack }

    // MARK: The setting

    func settingEnabled() -> Judgement {
        let value = connection.serverSettings.first?.last { $0.id == HTTP2SettingID.enableConnectProtocol }?.value
        guard value == 1 else {
            return Judgement(
                .failed,
                "the server's SETTINGS have SETTINGS_ENABLE_CONNECT_PROTOCOL \(value.map { "= \($0)" } ?? "absent"): no client may open a WebSocket")
        }
        return Judgement(.ok, "SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 in the server's first SETTINGS")
    }

    func settingKept() async -> Judgement {
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

    func refused(_ edits: [RequestEdit], versionAnswer: Bool) async -> Judgement {
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

    func refusedOtherwise(_ event: HTTP2ProbeSession.StreamEvent, stream: UInt32, versionAnswer: Bool) -> Judgement {
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

    func refusalIsAResponse(_ edits: [RequestEdit]) async -> Judgement {
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

    func responseLacks(_ names: [String]) async -> Judgement {
        let (_, opening) = await session.open()
        guard case .accepted(let webSocket, let fields) = opening else { return notOpened(opening) }
        _ = await webSocket.close(until: after(messageWait))
        let present = names.filter { name in fields.contains { $0.name.lowercased() == name } }
        guard present.isEmpty else {
            return Judgement(.failed, "the \(Self.status(fields)) carries \(present.joined(separator: ", "))")
        }
        return Judgement(.ok, "the \(Self.status(fields)) has none of \(names.joined(separator: ", "))")
    }

    func notOpened(_ opening: HTTP2ProbeSession.Opening) -> Judgement {
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

    static func status(_ fields: [HTTP2ProbeSession.Field]) -> String {
        ":status " + (fields.first { $0.name == ":status" }?.value ?? "none")
    }
}
