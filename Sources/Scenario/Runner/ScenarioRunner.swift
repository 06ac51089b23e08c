public import Transport
import WebSocketCore

/// Runs one case over one connection and judges it. The same runner drives the simulated network and
/// live peers: it sees only a `ByteTransport`, and plays the client (testing a server) or the server (testing a
/// client, on a connection the client opened).
public enum ScenarioRunner {
    /// - Parameter seed: where the handshake nonce and the mask keys come from.
    /// - Parameter role: the script's end of the connection.
    /// - Parameter crossTalk: what the run's other cases sent, for a live run whose cases share a server.
    public static func run(_ scenario: ScenarioCase, on transport: any ByteTransport,
                           parameters: RunParameters = RunParameters(), seed: UInt64,
                           role: ScriptRole = .client, crossTalk: CrossTalkMonitor? = nil) async -> CaseResult {
        let execution = CaseExecution(scenario: scenario, transport: transport, parameters: parameters, seed: seed, role: role)
        execution.crossTalk = crossTalk
        await execution.run()
        return execution.result()
    }
}

/// The state of one case while it runs. Its steps are spread over files by topic (the opening handshake is in
/// CaseExecution+OpeningHandshake.swift), so its state is module-internal rather than private; nothing outside
/// the runner holds a `CaseExecution`.
final class CaseExecution {
    let scenario: ScenarioCase
    let transport: any ByteTransport
    let parameters: RunParameters
    let role: ScriptRole
    var random: SplitMix64
    var endpoint: ScriptedEndpoint
    var log: [Observation] = []
    var wire: WireLog
    var cursor = 0
    var verdict: Verdict = .ok
    var reasons: [String] = []
    var handshake: HandshakeRecord?
    var opened = false
    var stopped = false
    var weClosedTransport = false
    var pendingWrite: [UInt8] = []
    var flushing = false
    /// The payloads of the pings the script sent: a pong that carries one answers the client.
    var sentPings: Set<[UInt8]> = []
    /// The peer refused a large message with 1009 (`sizeLimitFloor`).
    var refusedMessageAsTooBig = false
    /// The peer had not closed when the case ended, so the client sent the first close frame.
    var weClosedAtCaseEnd = false
    var segmentSize: Int?
    var segmentDelay: Duration = .zero
    var receivedBytes = 0
    /// Message, ping and pong payload bytes as decoded: with permessage-deflate, what the wire bytes inflated to.
    var decodedBytes = 0
    /// Message payload bytes the log holds whole (`RunParameters.maxLoggedPayloadBytes`).
    var loggedPayloadBytes = 0
    /// Where our outgoing stream stands (after the opening request): replies wait for a frame boundary.
    var outgoingFrames = FrameBoundaryTracker()
    var trackingOutgoingFrames = false
    var deferredReply: [UInt8] = []
    var measurements: [CaseMeasurement] = []
    /// While round trips run, received messages wait here for the loop instead of going to the log.
    var takingEchoes = false
    var echoes: [(opcode: Opcode, payload: [UInt8])] = []
    /// The run's record of what its cases sent, and what this one sent and received of others'.
    var crossTalk: CrossTalkMonitor?
    var sentFingerprints: Set<CrossTalkMonitor.Fingerprint> = []
    var crossTalkFrom: Set<CaseID> = []

    init(scenario: ScenarioCase, transport: any ByteTransport, parameters: RunParameters, seed: UInt64, role: ScriptRole) {
        self.scenario = scenario
        self.transport = transport
        self.parameters = parameters
        self.role = role
        random = SplitMix64(seed: seed)
        wire = WireLog(byteLimit: parameters.wireLogLimit)
        endpoint = ScriptedEndpoint(role: role, maskSeed: random.next())
    }

    var now: Duration { transport.elapsed }

    func run() async {
        var steps = scenario.steps
        if !steps.contains(where: { if case .open = $0 { true } else { false } }) {
            steps.insert(.open(HandshakeSpec()), at: 0)
        }
        await perform(steps)
        await flush()
        if opened { await finishClosing() }
        checkNothingUnexpected()
        if !endpoint.ended {
            await closeOurSide()
            await transport.abort()
        }
    }

    func perform(_ steps: [Step]) async {
        for step in steps {
            if stopped { return }
            if now > scenario.deadline {
                mismatch("the case did not finish within its deadline of \(scenario.deadline.formatted)")
                return
            }
            await perform(step)
        }
    }

    func perform(_ step: Step) async {
        switch step {
        case .send, .sendRaw, .sendFragmented: break
        default: await flush()
        }
        switch step {
        case .open(let spec):
            await open(spec)
        case .send(let spec):
            if spec.frame.opcode == .ping { sentPings.insert(spec.frame.payload) }
            if spec.frame.opcode == .text || spec.frame.opcode == .binary { noteSent(spec.frame.payload) }
            do {
                write(try endpoint.serialize(spec))
            } catch {
                scenarioError("cannot serialize \(spec.frame): \(error)")
            }
        case .sendRaw(let bytes):
            write(bytes)
        case .sendFragmented(let opcode, let payload, let fragments):
            noteSent(payload)
            for (index, range) in Self.split(payload.count, into: fragments).enumerated() {
                let spec = FrameSpec(fin: range.upperBound == payload.count, opcode: index == 0 ? opcode : .continuation,
                                     payload: Array(payload[range]))
                await perform(.send(spec))
            }
        case .segmentWrites(let size, let delay):
            segmentSize = size.map { max(1, $0) }
            segmentDelay = delay
        case .roundTrips(let trips):
            await run(trips)
        case .wait(let duration):
            // Never past the case's deadline (which --case-timeout caps): the step loop then FAILS the case.
            await pump(until: min(now + duration, scenario.deadline))
        case .expect(let expectation):
            await settle { matching, start in matching.evaluate(expectation, from: self.cursor, start: start) }
        case .oneOf(let alternatives):
            await settle { matching, start in matching.evaluate(alternatives, from: self.cursor, start: start) }
        case .answerPings(let on):
            endpoint.answerPings = on
        case .answerClose(let on):
            endpoint.answerClose = on
        case .depending(let needs, let build):
            guard let steps = build(parameters) else {
                verdict = max(verdict, .unimplemented)
                reasons.append("the run does not say \(needs)")
                stopped = true
                return
            }
            await perform(steps)
        }
    }

    /// Splits `count` bytes into `parts` ranges of near-equal size (fewer when there are fewer bytes).
    static func split(_ count: Int, into parts: Int) -> [Range<Int>] {
        let parts = max(1, min(parts, max(count, 1)))
        return (0..<parts).map { index in (count * index / parts)..<(count * (index + 1) / parts) }
    }

    // MARK: Expectations

    /// Waits until the evaluation is decided, taking in what arrives meanwhile.
    func settle(_ evaluate: (Matching, Duration) -> MatchState) async {
        let start = now
        while true {
            switch evaluate(Matching(log: log, now: now), start) {
            case .matched(let next, let earned, let note):
                cursor = next
                verdict = max(verdict, earned)
                // Which outcome happened is worth saying when it is not plain OK, and always where the case records.
                if earned > .ok || scenario.requirement == .may, let note { reasons.append(note) }
                return
            case .failed(let reason):
                mismatch(reason)
                return
            case .pending(let until):
                if now >= scenario.deadline {
                    mismatch("the case did not finish within its deadline of \(scenario.deadline.formatted)")
                    return
                }
                await pumpOnce(until: min(until, scenario.deadline))
            }
        }
    }

    func mismatch(_ reason: String) {
        verdict = max(verdict, scenario.requirement.verdictOnMismatch)
        reasons.append(reason)
        stopped = true
    }

    func scenarioError(_ reason: String) {
        verdict = .failed
        reasons.append("scenario error: \(reason)")
        stopped = true
    }

    /// Messages, and pongs to the client's pings, that no expectation took up to the end of the connection
    /// fail the case: a peer that echoes twice, or answers what it received after a close, is not conforming
    /// however the expected part went (Autobahn|Testsuite compares every event up to the end in the same
    /// way). Other pongs pass: §5.5.3 lets a peer send them unsolicited, as a heartbeat.
    func checkNothingUnexpected() {
        guard opened, !stopped, verdict != .unimplemented, scenario.closing != .informational else { return }
        for observation in log[min(cursor, log.count)...] {
            switch observation.event {
            case .message, .messageStart:
                return mismatch("at \(observation.time.formatted) the peer sent a \(observation.event) that the case does not expect")
            case .pong(let payload) where sentPings.contains(payload):
                return mismatch("at \(observation.time.formatted) the peer sent a \(observation.event) that the case does not expect")
            case .pong, .ping, .close, .violation, .disconnected, .omitted: continue
            }
        }
    }

    // MARK: Input and output

    /// Queues bytes the script sends. Consecutive sends leave in one write, as a program's writes do when it
    /// hands them to the kernel within one turn of its event loop; anything that waits flushes them first.
    func write(_ bytes: [UInt8]) {
        guard !weClosedTransport, !endpoint.ended, !bytes.isEmpty else { return }
        // Once the peer has sent its close frame the script has nothing more to say: the client answered it,
        // may send no data after that (§5.5.1), and writing into a closing connection only provokes a reset.
        guard endpoint.receivedClose == nil else { return }
        if pendingWrite.isEmpty { pendingWrite = bytes } else { pendingWrite += bytes }
    }

    /// Writes what the script queued, cut into segments when the case asks for it.
    func flush() async {
        guard !pendingWrite.isEmpty, !flushing else { return }
        flushing = true
        defer { flushing = false }
        let bytes = pendingWrite
        pendingWrite = []
        guard !weClosedTransport, !endpoint.ended else { return }
        guard let size = segmentSize else {
            await writeNow(bytes)
            return
        }
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            await writeNow(Array(bytes[start..<end]))
            start = end
            if start < bytes.count && segmentDelay > .zero { await pump(until: min(now + segmentDelay, scenario.deadline)) }
            if now >= scenario.deadline { return }
            if weClosedTransport || endpoint.ended { return }
        }
    }

    func writeNow(_ bytes: [UInt8]) async {
        logWire(.sent, bytes)
        // A peer may take its time reading, but not past the case's deadline and a closing handshake's worth.
        guard await transport.write(bytes, until: max(now, scenario.deadline) + parameters.closeTimeout) else {
            return peerStoppedReading(bytes.count)
        }
        guard trackingOutgoingFrames else { return }
        outgoingFrames.consume(bytes)
        if outgoingFrames.atBoundary && !deferredReply.isEmpty {
            let reply = deferredReply
            deferredReply = []
            await writeNow(reply)
        }
    }

    /// Sends an answer the client owes, once our stream is between frames.
    func reply(_ bytes: [UInt8]) async {
        if outgoingFrames.atBoundary { await writeNow(bytes) } else { deferredReply += bytes }
    }

    func logWire(_ direction: WireRecord.Direction, _ bytes: [UInt8]) { wire.record(direction, bytes, at: now) }

    /// Whether the peer has sent more than a case may hold in memory; if so the case FAILS and the
    /// connection is dropped.
    func overReceiveBudget() async -> Bool {
        let what: String
        if receivedBytes > parameters.maxReceivedBytes {
            what = "more than \(parameters.maxReceivedBytes) bytes"
        } else if decodedBytes > parameters.maxReceivedBytes {
            what = "messages of more than \(parameters.maxReceivedBytes) bytes once inflated"
        } else if log.count > parameters.maxObservations {
            what = "more than \(parameters.maxObservations) frames"
        } else {
            return false
        }
        verdict = .failed
        reasons.append("the \(role.peer) sent \(what) in one case; the \(role) dropped the connection")
        stopped = true
        endpoint.abandon()
        weClosedTransport = true
        await transport.abort()
        return true
    }

    /// The peer left our output unread past the write's deadline; the transport has dropped the connection.
    func peerStoppedReading(_ count: Int) {
        verdict = .failed
        reasons.append("the \(role.peer) stopped reading: \(count) bytes could not be sent by the case's deadline; the \(role) dropped the connection")
        stopped = true
        endpoint.abandon()
        weClosedTransport = true
    }

    /// Takes in everything that arrives until `deadline` (or the end of the connection).
    func pump(until deadline: Duration) async {
        while !endpoint.ended && now < deadline {
            await pumpOnce(until: deadline)
        }
    }

    func pumpOnce(until deadline: Duration) async {
        await flush()
        let input = await transport.read(until: deadline)
        await take(input)
    }

    func take(_ input: TransportInput) async {
        switch input {
        case .bytes(let bytes):
            logWire(.received, bytes)
            receivedBytes += bytes.count
            guard opened, !(await overReceiveBudget()) else { return }
            await takeDecoded(bytes)
        case .endOfStream:
            record(endpoint.transportEnded(reset: false))
        case .reset:
            record(endpoint.transportEnded(reset: true))
        case .timedOut:
            break
        }
    }

    /// Hands received bytes to the client and acts on what they meant (answers, failing the connection).
    func takeDecoded(_ bytes: [UInt8] = []) async {
        let output = endpoint.receive(bytes)
        record(output.events)
        if await overReceiveBudget() { return }
        if !output.reply.isEmpty && !weClosedTransport { await reply(output.reply) }
        if output.closeTransport { await closeOurSide() }
    }

    func record(_ events: [ObservedEvent]) {
        let time = now
        for event in events {
            switch event {
            case .message(_, let payload):
                decodedBytes += payload.count
                noteReceived(payload)
            case .ping(let payload), .pong(let payload): decodedBytes += payload.count
            default: break
            }
            if takingEchoes, case .message(let opcode, let payload) = event {
                echoes.append((opcode, payload))
            } else if case .message(_, let payload) = event, loggedPayloadBytes + payload.count > parameters.maxLoggedPayloadBytes {
                // Past the budget a message is logged by its start and length: it can still be seen and reported,
                // not matched byte for byte (a flood by then, or a case that expects megabytes outside round trips).
                log.append(Observation(time: time, event: event.shortened))
            } else {
                if case .message(_, let payload) = event { loggedPayloadBytes += payload.count }
                log.append(Observation(time: time, event: event))
            }
        }
    }

    // MARK: Cross-talk

    /// A data message this case sent, for the run's cross-talk record.
    func noteSent(_ payload: [UInt8]) {
        guard let crossTalk else { return }
        let fingerprint = CrossTalkMonitor.Fingerprint(payload)
        sentFingerprints.insert(fingerprint)
        crossTalk.noteSent(fingerprint, by: scenario.id)
    }

    /// A data message this case received: one it never sent but another case did came from that case's connection.
    func noteReceived(_ payload: [UInt8]) {
        guard let crossTalk else { return }
        let fingerprint = CrossTalkMonitor.Fingerprint(payload)
        guard !sentFingerprints.contains(fingerprint), let sender = crossTalk.sender(of: fingerprint), sender != scenario.id else { return }
        crossTalkFrom.insert(sender)
    }

    // MARK: Round trips

    func run(_ trips: RoundTrips) async {
        if trips.compressed && endpoint.compressionAgreement == nil {
            verdict = max(verdict, .unimplemented)
            reasons.append("the \(role.peer) \(role == .server ? "did not offer" : "declined") permessage-deflate, which this case needs")
            stopped = true
            return
        }
        let count = trips.effectiveCount(budget: parameters.roundTripBudget)
        wire.byteLimit = min(wire.byteLimit, 16 << 10)
        wire.recordLimit = min(wire.recordLimit, WireRecord.roundTripRecordLimit)
        wire.bytesRecordLimit = min(wire.bytesRecordLimit, WireRecord.roundTripRecordLimit)
        let start = now
        let deadline = min(scenario.deadline, start + trips.timeout)
        let statisticsBefore = endpoint.compression
        var offset = 0
        takingEchoes = true
        defer { takingEchoes = false }
        for index in 0..<count {
            let payload = trips.corpus.slice(from: offset, size: trips.messageSize)
            offset += trips.messageSize
            noteSent(payload)
            write(endpoint.message(trips.opcode, payload, fragmentSize: trips.fragmentSize, compress: trips.compressed,
                                 emptyFinalFragment: trips.emptyFinalFragment))
            while echoes.isEmpty && !endpoint.ended && endpoint.failure == nil && endpoint.receivedClose == nil && now < deadline {
                await pumpOnce(until: deadline)
            }
            guard !echoes.isEmpty else {
                if endpoint.failure == nil, endpoint.receivedClose?.code == 1009, payload.count > Self.sizeLimitFloor {
                    return refusedAsTooBig(payload.count, round: index + 1, of: count)
                }
                let why = endpoint.failure.map { "the \(role) failed the connection: \($0)" }
                    ?? endpoint.receivedClose.map { "the peer closed with \($0.code.map(String.init) ?? "no code")" }
                    ?? (endpoint.ended ? "the connection ended" : "no echo within \((deadline - start).formatted)")
                return mismatch("round trip \(index + 1) of \(count): \(why)")
            }
            let echo = echoes.removeFirst()
            guard echo.opcode == trips.opcode, echo.payload == payload else {
                let what = echo.opcode != trips.opcode ? "a \(echo.opcode) message, expected \(trips.opcode)"
                    : echo.payload.count != payload.count ? "\(echo.payload.count) bytes, expected \(payload.count)"
                    : "different bytes from byte \(payload.indices.first { echo.payload[$0] != payload[$0] } ?? 0)"
                return mismatch("echo \(index + 1) of \(count) is \(what)")
            }
            // Echoes that matched are not a flood: only what arrives beyond them counts toward the budget.
            receivedBytes = 0
            decodedBytes = 0
        }
        let elapsed = now - start
        let seconds = elapsed.seconds
        measurements.append(CaseMeasurement("messages echoed", Double(count), unit: "× \(trips.messageSize) B"))
        measurements.append(CaseMeasurement("time", seconds * 1000, unit: "ms"))
        if count > 0 { measurements.append(CaseMeasurement("mean round trip", seconds * 1e6 / Double(count), unit: "µs")) }
        if seconds > 0, trips.messageSize > 0 {
            measurements.append(CaseMeasurement("echo throughput", Double(count * trips.messageSize) / seconds / 1e6, unit: "MB/s"))
        }
        if trips.compressed {
            let sent = endpoint.compression.sent.since(statisticsBefore.sent)
            let received = endpoint.compression.received.since(statisticsBefore.received)
            if let ratio = sent.ratio { measurements.append(CaseMeasurement("compression ratio sent", ratio, unit: "")) }
            if let ratio = received.ratio { measurements.append(CaseMeasurement("compression ratio received", ratio, unit: "")) }
        }
    }

    func closeOurSide() async {
        guard !weClosedTransport else { return }
        weClosedTransport = true
        endpoint.transportClosedByUs()
        await transport.close()
    }

    // MARK: The closing handshake

    /// How the connection is to end: as the case says, unless the run lacked what the case needs, in which
    /// case the client just closes normally.
    var closing: ClosingBehaviour { verdict == .unimplemented ? .clientCloses() : scenario.closing }

    func finishClosing() async {
        let deadline = now + parameters.closeTimeout
        switch closing {
        case .clientCloses(let code, _):
            if endpoint.sentClose == nil && endpoint.failure == nil && !endpoint.ended {
                await perform(.send(.close(code: code)))
            }
        case .peerFails, .informational:
            // Give the peer its chance to close first; close ourselves if it does not.
            while endpoint.receivedClose == nil && !endpoint.ended && now < deadline { await pumpOnce(until: deadline) }
            if endpoint.sentClose == nil && endpoint.failure == nil && !endpoint.ended {
                weClosedAtCaseEnd = true
                await perform(.send(.close(code: 1000)))
            }
        }
        // The server closes the TCP connection first (§7.1.1): as the client, we wait for it, on a timer; as the
        // server, we wait for the peer's close frame, then close, then give it the same time to close its side.
        let end = now + parameters.closeTimeout
        if role == .server {
            while endpoint.receivedClose == nil && !endpoint.ended && now < end { await pumpOnce(until: end) }
            await flush()
            await closeOurSide()
        }
        while !endpoint.ended && now < end { await pumpOnce(until: end) }
    }

    /// RFC 6455 sets no message size an endpoint must take, and lets one refuse a message too big to process with
    /// 1009 (§7.4.1). Past this size such a refusal is graded as a limit, not a failure; below it, it fails the
    /// case: limits that small are rare, and a broken length decoder often shows as a 1009 on small messages.
    static let sizeLimitFloor = 1 << 20

    /// The peer refused a round trip's message with 1009: the case is recorded, not judged, and so is its close.
    func refusedAsTooBig(_ size: Int, round: Int, of count: Int) {
        verdict = max(verdict, .informational)
        reasons.append("round trip \(round) of \(count): the peer refused a message of \(size) bytes as too big to process "
                       + "(1009, RFC 6455 §7.4.1): a size limit, not a broken rule; the case measures nothing past it")
        refusedMessageAsTooBig = true
        stopped = true
    }

    func closeOutcome() -> CloseGrading.Outcome {
        if refusedMessageAsTooBig {
            return CloseGrading.Outcome(verdict: .informational, reason: "the peer closed with 1009 after refusing a message as too big")
        }
        if !opened {
            return stopped && verdict <= .nonStrict ? CloseGrading.Outcome(verdict: .ok, reason: nil)
                : CloseGrading.Outcome(verdict: .informational, reason: "no WebSocket connection was opened")
        }
        return CloseGrading.grade(closing, ClosingFacts(
            ourFailure: endpoint.failure, sentByUs: endpoint.sentClose, sentByPeer: endpoint.receivedClose,
            initiatedBy: endpoint.initiatedBy, droppedBy: endpoint.droppedBy,
            weClosedAtCaseEnd: weClosedAtCaseEnd, role: role))
    }

    func result() -> CaseResult {
        // A case on what the RFC leaves open is recorded, not judged, however it went (unless it could not run).
        if scenario.requirement == .may && verdict == .ok {
            verdict = .informational
            reasons.insert("recorded, not judged: the RFC leaves this to the peer", at: 0)
        }
        if let failure = endpoint.failure, failure.breaksFramingRules, verdict < .failed {
            verdict = .failed
            reasons.insert("the \(role.peer) broke RFC 6455 §\(failure.rfcSection) (\(failure)), which no case leaves open", at: 0)
        }
        let close = closeOutcome()
        var allReasons = reasons
        if !crossTalkFrom.isEmpty {
            let senders = crossTalkFrom.sorted().map(\.rawValue).joined(separator: ", ")
            allReasons.insert("cross-talk: the \(role.peer) sent this connection a message that case \(senders) sent on its own connection "
                              + "(a server that relays messages between connections); run with --jobs 1 to test it one connection at a time", at: 0)
        }
        if let closeReason = close.reason { allReasons.append(closeReason) }
        let (byClient, byServer) = role == .client ? (endpoint.sentClose, endpoint.receivedClose) : (endpoint.receivedClose, endpoint.sentClose)
        let closing = ClosingRecord(sentByClient: byClient, sentByServer: byServer,
                                    initiatedBy: endpoint.initiatedBy, droppedBy: endpoint.droppedBy,
                                    wasClean: byClient != nil && byServer != nil && !endpoint.wasReset)
        return CaseResult(id: scenario.id, title: scenario.title, sends: scenario.sends, expectation: scenario.expectation,
                          requirement: scenario.requirement,
                          rfcSections: scenario.rfcSections, verdict: verdict, closeVerdict: close.verdict, reasons: allReasons,
                          advisories: close.advisories,
                          acceptableOutcomes: OutcomeDescription.describe(scenario), observed: Observation.kept(log), handshake: handshake,
                          closing: closing, wire: wire.records, duration: now, seed: nil, measurements: measurements,
                          permessageDeflate: endpoint.compressionAgreement?.description, crossTalkFrom: crossTalkFrom.sorted())
    }
}
