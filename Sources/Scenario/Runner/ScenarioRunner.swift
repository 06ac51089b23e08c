public import Transport
import WebSocketCore

/// Runs one case over one connection and judges it. The same runner drives the simulated network and
/// live peers: it sees only a `ByteTransport`, and plays the client (testing a server) or the server (testing a
/// client, on a connection the client opened).
public enum ScenarioRunner {
    /// - Parameter seed: where the handshake nonce and the mask keys come from.
    /// - Parameter role: the script's end of the connection.
    /// - Parameter crossTalk: what the run's other cases sent, for a live run whose cases share a server.
    public static func run(
        _ scenario: ScenarioCase, on transport: any ByteTransport,
        parameters: RunParameters = RunParameters(), seed: UInt64,
        role: ScriptRole = .client, crossTalk: CrossTalkMonitor? = nil
    ) async -> CaseResult {
        let execution = CaseExecution(
            scenario: scenario, transport: transport, parameters: parameters, seed: seed, role: role, crossTalk: crossTalk)
        await execution.run()
        defer { execution.crossTalk.finish() }
        return execution.result()
    }
}

/// One case while it runs: the script's steps, over one transport. Its parts are one file each (the opening
/// handshake, output, input, expectations, round trips, the closing handshake, the result), so its state is
/// module-internal rather than private; nothing outside the runner holds a `CaseExecution`. The verdict changes
/// only in `grade`.
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
    var grade = CaseGrade()
    var handshake: HandshakeRecord?
    var opened = false
    var weClosedTransport = false
    /// What the script sends, before it reaches the transport; `flushing` guards against a flush within a flush.
    var output = OutgoingQueue()
    var flushing = false
    /// The payloads of the pings the script sent: a pong that carries one answers the client.
    var sentPings: Set<[UInt8]> = []
    /// The peer refused a large message with 1009 (`sizeLimitFloor`).
    var refusedMessageAsTooBig = false
    /// The peer had not closed when the case ended, so the client sent the first close frame.
    var weClosedAtCaseEnd = false
    var budget: ReceiveBudget
    var measurements: [CaseMeasurement] = []
    /// While round trips run, received messages wait here for their loop instead of going to the log.
    var echoes: [(opcode: Opcode, payload: [UInt8])]?
    var crossTalk: CaseCrossTalk

    init(
        scenario: ScenarioCase, transport: any ByteTransport, parameters: RunParameters, seed: UInt64, role: ScriptRole,
        crossTalk: CrossTalkMonitor?
    ) {
        self.scenario = scenario
        self.transport = transport
        self.parameters = parameters
        self.role = role
        random = SplitMix64(seed: seed)
        wire = WireLog(byteLimit: parameters.wireLogLimit)
        budget = ReceiveBudget(parameters)
        self.crossTalk = CaseCrossTalk(crossTalk, case: scenario.id)
        endpoint = ScriptedEndpoint(role: role, maskSeed: random.next())
    }

    var now: Duration { transport.elapsed }

    func run() async {
        let opening = role == .client ? transport.openingHandshake.kind : transport.acceptingHandshake.kind
        if let needed = scenario.opening, needed != opening {
            grade.stop(.unimplemented, "the case is about \(needed); this run opens WebSockets by \(opening)")
        }
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
            if grade.stopped { return }
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
            crossTalk.noteSent(spec.frame)
            do {
                write(try endpoint.serialize(spec))
            } catch {
                scenarioError("cannot serialize \(spec.frame): \(error)")
            }
        case .sendRaw(let bytes):
            write(bytes)
        case .sendFragmented(let opcode, let payload, let fragments):
            for (index, range) in Self.split(payload.count, into: fragments).enumerated() {
                let spec = FrameSpec(
                    fin: range.upperBound == payload.count, opcode: index == 0 ? opcode : .continuation,
                    payload: Array(payload[range]))
                await perform(.send(spec))
            }
        case .segmentWrites(let size, let delay):
            output.segment(size: size, delay: delay)
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
        case .needsCompression:
            _ = compressionAgreed()
        case .depending(let needs, let build):
            guard let steps = build(parameters) else {
                return grade.stop(.unimplemented, "the run does not say \(needs)")
            }
            await perform(steps)
        }
    }

    /// Splits `count` bytes into `parts` ranges of near-equal size (fewer when there are fewer bytes).
    static func split(_ count: Int, into parts: Int) -> [Range<Int>] {
        let parts = max(1, min(parts, max(count, 1)))
        return (0..<parts).map { index in (count * index / parts)..<(count * (index + 1) / parts) }
    }

}
