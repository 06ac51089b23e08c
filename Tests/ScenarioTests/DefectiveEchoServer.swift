import ReferenceServer
import WebSocketCore

/// An echo server with one deliberate defect, and otherwise correct. It is written apart from the
/// reference server (on the core's diagnostic parser) so that each defect is a single switch here.
final class DefectiveEchoServer: ServerSession {
    enum Defect: String, CaseIterable, Sendable {
        case noUTF8Check, noFailFast, acceptsReservedBits, acceptsReservedOpcodes, neverAnswersPings
        case wrongCloseCodes, echoesLongCloseReason, skipsAcceptKey, ignoresVersion
        // Defects the real peers showed (Fixtures/peers): echoing an invalid close code (tornado), a close
        // between fragments taken for an error (websockets), upgrading HTTP/1.0 or a request without Host
        // (ws, websockets), refusing a version without saying which it speaks (ws), failing the connection by
        // dropping TCP without a close frame (tornado, autobahn-python: a SHOULD, so an advisory only).
        case echoesInvalidCloseCodes, closeMidMessageIsAnError, upgradesHTTP10, upgradesWithoutHost
        case refusesVersionSilently, dropsWithoutCloseFrame
        // Defects that Autobahn|Testsuite's exact event lists catch: every message echoed twice, and frames that
        // follow a close frame still answered before the close is.
        case echoesTwice, answersAfterClose
    }

    /// `nil`: no defect at all (the baseline the defects are measured against).
    let defect: Defect?
    private var headParser: HTTPHeadParser? = HTTPHeadParser()
    private var parser = FrameParser(.init(senderRole: .client, mode: .diagnostic))
    private var frame: (header: FrameHeader, payload: [UInt8])?
    private var message: (opcode: Opcode, payload: [UInt8], validator: UTF8Validator)?
    private var finished = false
    /// `answersAfterClose`: the close answer waits until the rest of the input that came with it is handled.
    private var pendingCloseAnswer: [UInt8]?

    init(_ defect: Defect?) { self.defect = defect }

    func receive(_ bytes: [UInt8]) -> [ServerAction] {
        guard !finished else { return [] }
        if var headParser {
            let head: (head: [UInt8], rest: [UInt8])?
            do {
                head = try headParser.append(bytes)
            } catch {
                return refuse(ServerHandshake.refusal(status: 431, reason: "head too large"))
            }
            guard let head else {
                self.headParser = headParser
                return []
            }
            self.headParser = nil
            return upgrade(head.head) + (head.rest.isEmpty ? [] : receive(head.rest))
        }
        parser.append(bytes)
        var actions: [ServerAction] = []
        while !finished {
            do {
                guard let event = try parser.nextEvent() else { break }
                actions += handle(event)
            } catch {
                actions += fail(error.closeCode) // Only an announced length over the limit stops diagnostic parsing.
            }
        }
        if let answer = pendingCloseAnswer, !finished {
            finished = true
            actions += [.write(answer), .closeTransport]
        }
        return actions
    }

    func timerFired(_ timer: ServerTimer) -> [ServerAction] { [] }
    func transportEnded() -> [ServerAction] {
        finished = true
        return []
    }

    private func upgrade(_ head: [UInt8]) -> [ServerAction] {
        guard var request = try? HTTPHeadParser.parseRequest(head) else {
            return refuse(ServerHandshake.refusal(status: 400, reason: "not HTTP"))
        }
        if defect == .ignoresVersion { request.headers.replaceOrAdd(name: "Sec-WebSocket-Version", value: "13") }
        if defect == .upgradesHTTP10 { request.version = "HTTP/1.1" }
        if defect == .upgradesWithoutHost { request.headers.replaceOrAdd(name: "Host", value: "127.0.0.1") }
        let decision = ServerHandshake(subprotocols: ["wsspec.echo"]).respond(to: request)
        guard case .accept(var response, _) = decision else {
            guard defect == .refusesVersionSilently, case .reject(var refusal, let reason) = decision else { return refuse(decision) }
            refusal.headers.remove(name: "Sec-WebSocket-Version")
            return refuse(.reject(response: refusal, reason: reason))
        }
        if defect == .skipsAcceptKey { response.headers.remove(name: "Sec-WebSocket-Accept") }
        return [.write(HTTPSerializer.serialize(response))]
    }

    private func refuse(_ decision: ServerHandshake.Decision) -> [ServerAction] {
        finished = true
        return [.write(decision.bytes), .closeTransport]
    }

    private func handle(_ event: FrameParser.Event) -> [ServerAction] {
        switch event {
        case .header(let header, let violations):
            let remaining = violations.filter { violation in
                switch violation {
                case .reservedBitsSet: defect != .acceptsReservedBits
                case .reservedOpcode: defect != .acceptsReservedOpcodes
                case .controlFrameTooLong: defect != .echoesLongCloseReason
                default: true
                }
            }
            if let violation = remaining.first { return fail(violation.closeCode) }
            frame = (header, [])
            if !header.opcode.isControl && !header.opcode.isReserved {
                if header.opcode != .continuation { message = (header.opcode, [], UTF8Validator()) }
            }
            return []
        case .payload(let chunk):
            frame?.payload += chunk
            guard let current = frame, !current.header.opcode.isControl, !current.header.opcode.isReserved,
                message != nil
            else { return [] }
            message!.payload += chunk
            if message!.opcode == .text && defect != .noUTF8Check && defect != .noFailFast
                && !message!.validator.feed(chunk)
            {
                return fail(.invalidFramePayloadData)
            }
            return []
        case .frameEnd:
            guard let current = frame else { return [] }
            frame = nil
            let header = current.header
            if header.opcode.isReserved { return [] }
            if header.opcode.isControl { return control(header.opcode, current.payload) }
            guard header.fin, let finished = message else { return [] }
            message = nil
            if finished.opcode == .text && defect != .noUTF8Check
                && UTF8Validator.validate(finished.payload) != .valid
            {
                return fail(.invalidFramePayloadData)
            }
            let echo = try! FrameSerializer.serialize(Frame(opcode: finished.opcode, payload: finished.payload))
            return [.write(defect == .echoesTwice ? echo + echo : echo)]
        }
    }

    private func control(_ opcode: Opcode, _ payload: [UInt8]) -> [ServerAction] {
        switch opcode {
        case .ping:
            if defect == .neverAnswersPings { return [] }
            return [.write(try! FrameSerializer.serialize(Frame(opcode: .pong, payload: payload)))]
        case .pong:
            return []
        default:
            if pendingCloseAnswer != nil { return [] }
            if defect == .closeMidMessageIsAnError && message != nil { return fail(.protocolError) }
            let answer: [UInt8]
            do {
                answer = ClosePayload(code: try ClosePayload.parse(payload).code).bytes
            } catch .invalidUTF8 where defect == .noUTF8Check {
                answer = Array(payload.prefix(2))
            } catch .invalidCloseCode where defect == .echoesInvalidCloseCodes {
                answer = Array(payload.prefix(2))
            } catch {
                return fail(error.closeCode)
            }
            let echoed = try! FrameSerializer.serialize(Frame(opcode: .close, payload: defect == .echoesLongCloseReason ? payload : answer))
            if defect == .answersAfterClose {
                pendingCloseAnswer = echoed
                return []
            }
            finished = true
            return [.write(echoed), .closeTransport]
        }
    }

    private func fail(_ code: CloseCode) -> [ServerAction] {
        finished = true
        if defect == .dropsWithoutCloseFrame { return [.closeTransport] }
        let sent = defect == .wrongCloseCodes ? CloseCode.normalClosure : code
        return [.write(try! FrameSerializer.serialize(Frame(opcode: .close, payload: ClosePayload(code: sent).bytes))), .closeTransport]
    }
}
