import Transport
import WebSocketCore

/// The opening handshake of a case, in either role: as the client, the request the case describes and the grading
/// of the answer; as the server, the answer to the client's request (or a broken one, for 0.9.x).
extension CaseExecution {
    func open(_ spec: HandshakeSpec) async {
        if role == .server { return await accept(spec) }
        var offered = spec.subprotocols
        var overrides = spec.overrides
        let placeholder = HandshakeSpec.supportedSubprotocol
        if spec.offersSupportedSubprotocol {
            guard let supported = parameters.subprotocol else {
                return grade.stop(.unimplemented, "the run names no subprotocol the server speaks")
            }
            offered = offered.map { $0 == placeholder ? supported : $0 }
            overrides = overrides.map { override in
                switch override {
                case .add(let name, placeholder): .add(name, supported)
                case .set(let name, placeholder): .set(name, supported)
                default: override
                }
            }
        }
        if let required = parameters.requiredSubprotocol, offered.isEmpty, !spec.overridesSubprotocolHeader {
            guard !scenario.checks.contains(.subprotocol) else {
                return grade.stop(
                    .unimplemented,
                    "the run says the server requires the subprotocol \(required) (--offer-subprotocol), "
                        + "and this case offers none on purpose")
            }
            offered = [required]
        }
        let nonce = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        let origin = spec.origin == HandshakeSpec.sameOrigin ? "http://\(parameters.host)" : spec.origin
        var request = ClientHandshakeRequest(
            target: spec.target ?? parameters.path, host: parameters.host, nonce: nonce,
            origin: origin ?? parameters.origin, subprotocols: offered,
            extensions: spec.extensions, extraHeaders: parameters.extraHeaders,
            overrides: overrides)
        request.method = spec.method
        request.httpVersion = spec.httpVersion
        if let key = spec.key { request.key = key }
        let requestBytes = request.serialize()
        var bytes = requestBytes
        if let early = spec.earlyMessage, let frame = try? endpoint.serialize(FrameSpec(opcode: .text, payload: Array(early.utf8))) {
            bytes += frame
        }
        handshake = HandshakeRecord(
            request: transport.openingHandshake.requestText(for: request), opening: transport.openingHandshake.kind)
        let requirement = scenario.requirement, expectation = spec.expect
        let outcome = await ClientOpening.open(
            request, over: transport, sending: bytes, configuration: ScriptedEndpoint.decoding, maskKeys: endpoint.messageMaskKeys,
            timeout: parameters.handshakeTimeout,
            send: { bytes in
                self.write(bytes)
                await self.flush()
            },
            received: { chunk in self.logWire(.received, chunk) })
        output.startFraming()
        switch outcome {
        case .notHTTP(let error, let head):
            handshake?.response = head.map { String(decoding: $0, as: UTF8.self) }
            let what = head == nil ? "the response head is unreadable" : "the response is not HTTP"
            await apply(HandshakeGrading.noResponse("\(what): \(error)", expectation, requirement: requirement))
        case .refused(let answer):
            record(answer)
            await apply(HandshakeGrading.refusal(answer.response, expectation, requirement: requirement))
        case .invalidUpgrade(let answer, let failure):
            record(answer)
            await apply(
                HandshakeGrading.upgrade(
                    answer.response, validation: .failure(failure), expectation,
                    requirement: requirement, supportedSubprotocol: parameters.subprotocol))
        case .upgraded(let answer, let negotiated, let connection):
            record(answer)
            let outcome = HandshakeGrading.upgrade(
                answer.response, validation: .success(negotiated), expectation,
                requirement: requirement, supportedSubprotocol: parameters.subprotocol)
            if outcome.negotiated != nil { endpoint.adopt(connection, agreement: negotiated.permessageDeflate) }
            await apply(outcome)
        case .ended(let reset):
            record(endpoint.transportEnded(reset: reset))
            await apply(
                HandshakeGrading.noResponse(
                    "the server closed the connection without an HTTP response", expectation,
                    requirement: requirement))
        case .timedOut:
            await apply(
                HandshakeGrading.noResponse(
                    "no HTTP response within \(parameters.handshakeTimeout.formatted)",
                    expectation, requirement: requirement))
        }
    }

    /// The server's side of the opening handshake: the client's request is read (bounded by the handshake
    /// timeout) and answered with 101 when it is a valid opening request, the client's permessage-deflate offer
    /// accepted when the case offers compression; a request that is not valid FAILS the case.
    func accept(_ spec: HandshakeSpec) async {
        let outcome = await ServerOpening.accept(
            over: transport, configuration: ScriptedEndpoint.decoding, deadline: now + parameters.handshakeTimeout,
            received: { chunk in self.logWire(.received, chunk) },
            decide: { request in
                ServerHandshake(subprotocols: [], permessageDeflate: ServerRoleCompression.policy(for: spec.extensions, request: request))
                    .respond(to: request)
            })
        switch outcome {
        case .refused(let response, let requestBytes):
            let answer = Self.head(of: response)
            handshake = HandshakeRecord(
                request: Self.head(of: requestBytes), response: answer,
                status: answer.split(separator: " ").dropFirst().first.flatMap { Int($0) })
            write(response)
            await flush()
            grade.stop(.failed, "the client's opening request is not a valid one (RFC 6455 §4.1): answered \(answer.prefix { $0 != "\r" })")
            await closeOurSide()
        case .upgraded(let response, _, _, let requestBytes) where spec.answer != .standard:
            await answerBrokenly(spec.answer, standard: response, request: requestBytes)
        case .upgraded(let response, let connection, let negotiated, let requestBytes):
            handshake = HandshakeRecord(
                request: Self.head(of: requestBytes), response: Self.head(of: response), status: 101,
                subprotocol: negotiated.subprotocol)
            write(response)
            await flush()
            output.startFraming()
            endpoint.adopt(connection, agreement: negotiated.permessageDeflate)
            opened = true
            await takeDecoded()
        case .ended(let reset):
            record(endpoint.transportEnded(reset: reset))
            grade.stop(.failed, "the client closed the connection without an opening request")
        case .timedOut:
            grade.stop(.failed, "no opening request within \(parameters.handshakeTimeout.formatted)")
        }
    }

    /// Answers with a broken 101 (or another status), then a text frame as if the connection were open: a client
    /// that took the answer for an upgrade echoes it, one that rejects it (RFC 6455 §4.1: it MUST _Fail the
    /// WebSocket Connection_) closes without sending anything.
    func answerBrokenly(_ answer: HandshakeAnswer, standard: [UInt8], request: [UInt8]) async {
        let response = answer.applied(to: standard)
        let head = Self.head(of: response)
        handshake = HandshakeRecord(
            request: Self.head(of: request), response: head,
            status: head.split(separator: " ").dropFirst().first.flatMap { Int($0) })
        write(response + ((try? endpoint.serialize(FrameSpec(opcode: .text, payload: Array("after a broken answer".utf8)))) ?? []))
        await flush()
        grade.stop()
        let deadline = now + parameters.handshakeTimeout
        while true {
            let input = await transport.read(until: deadline)
            switch input {
            case .bytes(let chunk):
                logWire(.received, chunk)
                grade.note(
                    scenario.requirement.verdictOnMismatch,
                    ["after \(answer.description) the client sent \(chunk.count) bytes instead of failing the connection (RFC 6455 §4.1)"])
                await closeOurSide()
                return
            case .endOfStream, .reset:
                record(endpoint.transportEnded(reset: input == .reset))
                return
            case .timedOut:
                grade.note(
                    scenario.requirement.verdictOnMismatch,
                    [
                        "after \(answer.description) the client kept the connection open for \(parameters.handshakeTimeout.formatted) "
                            + "instead of failing it (RFC 6455 §4.1)"
                    ])
                await closeOurSide()
                return
            }
        }
    }

    /// An HTTP head as text: the bytes up to the blank line.
    static func head(of bytes: [UInt8]) -> String {
        let end = bytes.indices.first { index in index + 3 < bytes.count && bytes[index..<(index + 4)].elementsEqual([13, 10, 13, 10]) }
        return String(decoding: end.map { bytes[..<($0 + 4)] } ?? bytes[...], as: UTF8.self)
    }

    /// Keeps the answer's head, as text, for the report.
    func record(_ answer: ClientUpgrade.Answer) {
        handshake?.response = String(decoding: answer.head, as: UTF8.self)
        handshake?.status = answer.response.status
    }

    /// Takes the handshake's verdict. Unless the case stops here, what came right behind the 101 (already in the
    /// adopted connection) is taken in.
    func apply(_ outcome: HandshakeGrading.Outcome) async {
        grade.note(outcome.verdict, outcome.reasons)
        if outcome.stops { grade.stop() }
        if let negotiated = outcome.negotiated {
            opened = true
            handshake?.subprotocol = negotiated.subprotocol
        }
        if opened && !grade.stopped { await takeDecoded() }
    }
}
