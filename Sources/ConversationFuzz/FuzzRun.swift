public import Scenario

/// A fuzzing run: conversations from the generator, `jobs` at a time, until `count` were tried or `duration` has
/// passed, at most `rate` a second. Every conversation whose result fails the run is a finding. Where they run (a live
/// peer, the simulated network) is the caller's `runCase`.
public struct FuzzRun: Sendable {
    public var generator: ConversationGenerator
    public var count: Int?
    public var duration: Duration?
    public var jobs = 4
    /// Conversations started per second, at most; nil: as fast as the peer answers.
    public var rate: Double?
    public var strict = false
    /// Stop once this many findings are in (nil: run the count or the duration out).
    public var stopAfterFindings: Int?
    /// Findings whose results are kept for the reports; past it they are counted (and their capsules still written).
    public var keptFindings = 200

    public init(generator: ConversationGenerator) { self.generator = generator }

    public struct Outcome: Sendable {
        public var tried = 0
        /// Conversations the peer could not take part in (UNIMPLEMENTED: it declined permessage-deflate).
        public var unimplemented = 0
        /// Conversations the peer failed and the reference implementation failed too: their expectations are wrong (a
        /// wsspec bug), so they are no finding. Their ids, the first few.
        public var refuted = 0
        public var refutedIDs: [CaseID] = []
        public var findingCount = 0
        /// The findings kept, in the order the conversations were numbered.
        public var findings: [CaseResult] = []
        /// Findings by `FindingKey`, with a count each.
        public var byKey: [String: Int] = [:]
    }

    /// - Parameter runCase: runs a conversation (its case from `Conversation.scenario()`) and returns the result.
    /// - Parameter reference: runs a conversation against the reference implementation; a failure it shares is no
    ///   finding (nil: the peer is the reference implementation).
    /// - Parameter progress: hears of every result, with the outcome so far.
    public func run(
        _ runCase: @escaping @Sendable (Conversation, ScenarioCase) async -> CaseResult,
        reference: (@Sendable (Conversation, ScenarioCase) async -> CaseResult)? = nil,
        progress: @escaping @Sendable (Outcome) -> Void = { _ in }
    ) async -> Outcome {
        let state = FuzzState(
            limit: count, deadline: duration.map { ContinuousClock.now + $0 }, rate: rate, findingLimit: stopAfterFindings)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, jobs) {
                group.addTask {
                    while let number = await state.next() {
                        let conversation = generator.conversation(number)
                        let result: CaseResult
                        var refuted = false
                        do {
                            let scenario = try conversation.scenario()
                            result = await runCase(conversation, scenario)
                            if result.fails(strict: strict), let reference {
                                refuted = await reference(conversation, scenario).fails(strict: strict)
                            }
                        } catch {
                            // Our own rendering did not parse: a finding about wsspec, shown as such, never a trap.
                            result = CaseResult.judged(
                                id: conversation.id, title: conversation.title, sends: "", expectation: "", requirement: .must,
                                rfcSections: [], verdict: .failed, reasons: ["wsspec could not render the conversation: \(error)"],
                                acceptableOutcomes: [], observed: [], handshake: nil, duration: .zero, seed: conversation.seed)
                        }
                        progress(await state.record(result, refuted: refuted, strict: strict, keep: keptFindings))
                    }
                }
            }
        }
        return await state.outcome
    }
}

/// What identifies a failure across conversations and shrinking steps: the verdicts and the rule, the first protocol
/// word of the first reason ("no pong arrived" and "expected a pong, but …" are the same failure; a wrong close code is
/// not), and for a result that fails only under `--strict` its first advisory. Figures and the peer's bytes never enter
/// it: a different payload is the same failure.
public enum FindingKey {
    /// The words reasons name rules by, as the runner's grading writes them.
    static let rules = [
        "pong", "ping", "close", "fail", "text message", "binary message", "message", "handshake", "upgrade", "deadline",
        "reading", "decompress", "UTF-8", "frame", "refusal"
    ]

    public static func of(_ result: CaseResult) -> String {
        // A matched option's note ("NON-STRICT: waits for the rest of the message") says which way the peer went, not
        // what failed: the first reason that is not one.
        let notes = Verdict.allCases.map { "\($0): " }
        let reason = result.reasons.first { reason in !notes.contains(where: reason.hasPrefix) } ?? result.reasons.first ?? ""
        let rule = rules.compactMap { word in reason.range(of: word).map { (word, $0.lowerBound) } }.min { $0.1 < $1.1 }?.0
        let key = "\(result.verdict)/\(result.closeVerdict): \(rule ?? "other")"
        guard !result.fails(strict: false), let advisory = result.advisories.first else { return key }
        return key + " (advisory: \(advisory.finding))"
    }
}

/// The run's shared count, clock and findings.
private actor FuzzState {
    let limit: Int?
    let deadline: ContinuousClock.Instant?
    let rate: Double?
    let findingLimit: Int?
    let start = ContinuousClock.now
    private var issued = 0
    var outcome = FuzzRun.Outcome()

    init(limit: Int?, deadline: ContinuousClock.Instant?, rate: Double?, findingLimit: Int?) {
        self.limit = limit
        self.findingLimit = findingLimit
        self.deadline = deadline
        self.rate = rate
    }

    /// The next conversation's number (from 1), after the rate's wait; nil once the count or the time is used up.
    func next() async -> Int? {
        if let limit, issued >= limit { return nil }
        if let findingLimit, outcome.findingCount >= findingLimit { return nil }
        if let deadline, ContinuousClock.now >= deadline { return nil }
        issued += 1
        let number = issued
        if let rate, rate > 0 {
            let due = start + .seconds(Double(number - 1) / rate)
            if let deadline, due >= deadline { return nil }
            try? await Task.sleep(until: due, clock: .continuous)
        }
        return number
    }

    func record(_ result: CaseResult, refuted: Bool, strict: Bool, keep: Int) -> FuzzRun.Outcome {
        outcome.tried += 1
        if result.verdict == .unimplemented { outcome.unimplemented += 1 }
        if refuted {
            outcome.refuted += 1
            if outcome.refutedIDs.count < 10 { outcome.refutedIDs.append(result.id) }
        } else if result.fails(strict: strict) {
            outcome.findingCount += 1
            outcome.byKey[FindingKey.of(result), default: 0] += 1
            if outcome.findings.count < keep {
                outcome.findings.append(result)
                outcome.findings.sort { $0.id < $1.id }
            }
        }
        return outcome
    }
}
