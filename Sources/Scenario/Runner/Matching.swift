/// Where an expectation stands against what has been observed so far.
enum MatchState: Equatable {
    /// Met; observations before `next` are used up. A match may still earn less than OK (`verdict`, why).
    case matched(next: Int, verdict: Verdict, note: String?)
    case failed(String)
    /// Cannot be decided before this time (unless something arrives earlier).
    case pending(until: Duration)
}

/// Decides expectations against the observation log. Pure: the same log and time give the same answer,
/// which keeps verdicts deterministic and lets `oneOf` weigh several outcomes against one log.
struct Matching {
    let log: [Observation]
    let now: Duration

    func evaluate(_ expectation: Expectation, from cursor: Int, start: Duration) -> MatchState {
        let end = start + expectation.deadline
        // The reason is built only when it is used: describing a large expected message copies it.
        func waitOr(_ reason: @autoclosure () -> String) -> MatchState { now >= end ? .failed(reason()) : .pending(until: end) }
        func late(_ observation: Observation) -> Bool { observation.time > end }

        switch expectation {
        case .message(let matcher, let within):
            guard let index = firstSignificant(from: cursor, notAfter: end) else {
                return waitOr("no \(matcher) arrived within \(within.formatted)")
            }
            let observation = log[index]
            guard case .message(let opcode, let payload) = observation.event else {
                return .failed("expected a \(matcher), but the peer's next act was: \(observation.event)")
            }
            guard matcher.matches(opcode: opcode, payload: payload) else {
                return .failed("expected a \(matcher), received a \(observation.event)")
            }
            return .matched(next: index + 1, verdict: .ok, note: nil)

        case .pong(let expected, let within):
            guard let index = firstSignificant(from: cursor, notAfter: end) else {
                return waitOr("no pong arrived within \(within.formatted)")
            }
            let observation = log[index]
            guard case .pong(let payload) = observation.event else {
                return .failed("expected a pong, but the peer's next act was: \(observation.event)")
            }
            if let expected, payload != expected {
                return .failed(
                    "the pong carries \(ObservedEvent.summarize(payload, asText: false)), "
                        + "not the ping's \(ObservedEvent.summarize(expected, asText: false))")
            }
            return .matched(next: index + 1, verdict: .ok, note: nil)

        case .ping(let within):
            for index in cursor..<log.count {
                let observation = log[index]
                if late(observation) { break }
                switch observation.event {
                case .ping: return .matched(next: index + 1, verdict: .ok, note: nil)
                case .close, .disconnected, .violation:
                    return .failed("expected a ping, but first: \(observation.event)")
                case .message, .messageStart, .pong, .omitted, .recorded: continue
                }
            }
            return waitOr("the peer sent no ping within \(within.formatted)")

        case .close(let codes, let within):
            // A close is a state, not just an event: one already seen (by an earlier step) still counts.
            for index in endingIndices(before: cursor) + Array(cursor..<log.count) {
                let observation = log[index]
                if late(observation) { break }
                switch observation.event {
                case .close(let code, _):
                    // An answer without a code is an answer (§5.5.1: echoing the code is only typical).
                    if let codes, let code, !codes.contains(code) {
                        return .failed("the peer closed with code \(code), expected \(Expectation.list(codes))")
                    }
                    return .matched(next: max(cursor, index + 1), verdict: .ok, note: nil)
                case .disconnected, .violation, .message, .messageStart, .pong:
                    return .failed("expected a close frame, but first: \(observation.event)")
                case .ping, .omitted, .recorded: continue
                }
            }
            return waitOr("the peer sent no close frame within \(within.formatted)")

        case .failure(let codes, let within):
            for index in endingIndices(before: cursor) + Array(cursor..<log.count) {
                let observation = log[index]
                if late(observation) { break }
                switch observation.event {
                case .ping, .omitted, .recorded: continue
                case .message, .messageStart, .pong:
                    return .failed("the peer answered with a \(observation.event) instead of failing the connection")
                case .violation:
                    return .failed("expected the peer to fail the connection, but it sent an \(observation.event)")
                case .close(let code, _):
                    // A close frame without a code is no wrong code: the RFC asks for one with SHOULD only, and
                    // the close grading records it as an advisory.
                    guard let code else { return .matched(next: max(cursor, index + 1), verdict: .ok, note: nil) }
                    guard codes.contains(code) else {
                        return .failed("the peer failed the connection with code \(code), expected \(Expectation.list(codes))")
                    }
                    return .matched(next: max(cursor, index + 1), verdict: .ok, note: nil)
                case .disconnected:
                    // §7.1.7: the close frame before closing TCP is a SHOULD; the connection was failed. The close
                    // grading records the missing frame as an advisory.
                    return .matched(next: max(cursor, index + 1), verdict: .ok, note: nil)
                }
            }
            return waitOr("the peer did not fail the connection within \(within.formatted)")

        case .nothing(let duration):
            var next = cursor
            for index in cursor..<log.count where log[index].time < end {
                if log[index].event.isSignificant {
                    return .failed("expected nothing for \(duration.formatted), but at \(log[index].time.formatted): \(log[index].event)")
                }
                next = index + 1
            }
            return now >= end ? .matched(next: next, verdict: .ok, note: nil) : .pending(until: end)

        case .disconnect(let within):
            for index in cursor..<log.count {
                let observation = log[index]
                if late(observation) { break }
                if case .disconnected = observation.event { return .matched(next: index + 1, verdict: .ok, note: nil) }
            }
            return waitOr("the peer did not close the TCP connection within \(within.formatted)")
        }
    }

    /// An alternative holds when its expectations hold one after the other; each starts when the previous
    /// one was met.
    func evaluate(_ alternative: Alternative, from cursor: Int, start: Duration) -> MatchState {
        var position = cursor
        var stepStart = start
        var verdict = alternative.verdict
        var notes: [String] = []
        for expectation in alternative.expectations {
            switch evaluate(expectation, from: position, start: stepStart) {
            case .matched(let next, let earned, let note):
                if case .nothing(let duration) = expectation {
                    stepStart += duration
                } else if next > position {
                    stepStart = log[next - 1].time
                }
                position = next
                verdict = max(verdict, earned)
                if let note { notes.append(note) }
            case let other:
                return other
            }
        }
        return .matched(
            next: position, verdict: verdict,
            note: (["\(alternative.verdict): \(alternative.label)"] + notes).joined(separator: "; "))
    }

    /// The first alternative (in order) that holds wins, once every earlier one is known not to hold.
    func evaluate(_ alternatives: [Alternative], from cursor: Int, start: Duration) -> MatchState {
        var misses: [String] = []
        for alternative in alternatives {
            switch evaluate(alternative, from: cursor, start: start) {
            case .failed(let reason): misses.append("\(alternative.label): \(reason)")
            case let decided: return decided
            }
        }
        return .failed("no acceptable outcome happened (\(misses.joined(separator: "; ")))")
    }

    /// The index of the close frame or disconnection an earlier step already used up, if any.
    private func endingIndices(before cursor: Int) -> [Int] {
        guard
            let index = (0..<min(cursor, log.count)).first(where: { index in
                switch log[index].event {
                case .close, .disconnected: true
                default: false
                }
            })
        else { return [] }
        return [index]
    }

    /// The first significant observation from `cursor`, if it came by `end`. One that came later means the
    /// deadline has passed (the clock is past it), so the caller's `waitOr` fails just as it should.
    private func firstSignificant(from cursor: Int, notAfter end: Duration) -> Int? {
        guard let index = (cursor..<log.count).first(where: { log[$0].event.isSignificant }), log[index].time <= end else {
            return nil
        }
        return index
    }
}
