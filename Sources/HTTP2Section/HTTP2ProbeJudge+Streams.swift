import Scenario
import WebSocketCore

/// The probes that drive WebSockets over their streams: closing, RFC 6455's framing, several streams and flow control.
extension HTTP2ProbeJudge {
    // MARK: Closing

    func closing(_ probe: ClosingProbe) async throws(Judgement) -> Judgement {
        if probe == .resetOneOfTwo { return try await resetOneOfTwo() }
        let webSocket = try await openWebSocket()
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

    func resetOneOfTwo() async throws(Judgement) -> Judgement {
        let first = try await openWebSocket().stream
        let second = try await openWebSocket()
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

    static func describe(_ event: WebSocketStream.Event) -> String {
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

    func framing(_ probe: FramingProbe) async throws(Judgement) -> Judgement {
        let offer = probe == .permessageDeflate ? [ExtensionOffer(name: "permessage-deflate")] : []
        let webSocket = try await openWebSocket(extensions: offer)
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
    func echo(_ messages: [String], on webSocket: WebSocketStream, sent: Bool = false) async -> Judgement {
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

    func streams(_ probe: StreamsProbe) async throws(Judgement) -> Judgement {
        switch probe {
        case .twoWebSockets:
            let first = try await openWebSocket()
            let second = try await openWebSocket()
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
            return try await stalledStream()
        case .largerThanWindow:
            let webSocket = try await openWebSocket()
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
            let webSocket = try await openWebSocket()
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

    func stalledStream() async throws(Judgement) -> Judgement {
        let stalled = try await openWebSocket()
        let other = try await openWebSocket()
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
