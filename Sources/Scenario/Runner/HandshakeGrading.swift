import WebSocketCore

/// The verdict on the server's answer to the opening request, as a pure function of the request sent, the
/// answer and what the case accepts (`HandshakeExpectation`).
enum HandshakeGrading {
    struct Outcome: Sendable, Hashable {
        var verdict: Verdict = .ok
        var reasons: [String] = []
        /// The WebSocket connection that opened, if one did (it then ends with a closing handshake).
        var negotiated: NegotiatedHandshake?
        /// The case cannot go on.
        var stops = false

        /// The case's own level decides what breaking its expectation earns.
        mutating func mismatch(_ reason: String, _ requirement: Requirement) {
            verdict = max(verdict, requirement.verdictOnMismatch)
            reasons.append(reason)
            stops = true
        }
    }

    /// A 101 answer, and whether it opens a connection for the request (`ClientUpgrade` validated it).
    static func upgrade(
        _ response: HTTPResponseHead, validation: Result<NegotiatedHandshake, HandshakeResponseFailure>,
        _ expectation: HandshakeExpectation, requirement: Requirement, supportedSubprotocol: String?
    ) -> Outcome {
        var outcome = Outcome()
        // An extension the server must decline but accepted fails the case, however the rest of the answer looks.
        let answered = response.headers.listElements("Sec-WebSocket-Extensions").map {
            String($0.prefix { $0 != ";" }.filter { $0 != " " && $0 != "\t" }).lowercased()
        }
        for name in expectation.declinedExtensions where answered.contains(name.lowercased()) {
            outcome.mismatch("the server accepted extension \(name), whose offer it must decline", requirement)
            return outcome
        }
        let negotiated: NegotiatedHandshake
        switch validation {
        case .success(let valid):
            negotiated = valid
        case .failure(let error):
            outcome.stops = true
            guard let earned = expectation.onUpgrade else {
                outcome.mismatch("the server upgraded a request it must refuse (and its 101 is not valid either: \(error))", requirement)
                return outcome
            }
            // Where the key was broken on purpose, the server's Accept may follow its own reading of it.
            if case .wrongAccept = error, expectation.keyIsBroken {
                outcome.verdict = earned
                outcome.reasons.append("the server upgraded the request (\(earned)), with an Accept computed from its own reading of the key")
            } else {
                outcome.verdict = .failed
                outcome.reasons.append("the 101 response is not a valid upgrade: \(error)")
            }
            return outcome
        }
        // The connection is open either way, so that it ends with a proper closing handshake.
        outcome.negotiated = negotiated
        guard let earned = expectation.onUpgrade else {
            outcome.mismatch("the server upgraded a request it must refuse", requirement)
            return outcome
        }
        if earned > .ok {
            outcome.verdict = earned
            outcome.reasons.append("the server upgraded the request (\(earned))")
        }
        let chosen = negotiated.subprotocol.map(\.debugDescription) ?? "no subprotocol"
        let wrongChoice: String? =
            switch expectation.subprotocol {
            case .any: nil
            case .none: negotiated.subprotocol.map { "the server chose subprotocol \($0.debugDescription), none was acceptable" }
            case .exactly(let name): negotiated.subprotocol == name ? nil : "the server chose \(chosen), expected \(name.debugDescription)"
            case .supported:
                negotiated.subprotocol == supportedSubprotocol
                    ? nil
                    : "the server chose \(chosen), expected \(supportedSubprotocol.map(\.debugDescription) ?? "?")"
            }
        if let wrongChoice {
            if expectation.subprotocolMismatch == .failed {
                outcome.mismatch(wrongChoice, requirement)
            } else {
                outcome.verdict = max(outcome.verdict, expectation.subprotocolMismatch)
                outcome.reasons.append(wrongChoice)
            }
        }
        return outcome
    }

    /// Any other HTTP answer: a refusal.
    static func refusal(_ response: HTTPResponseHead, _ expectation: HandshakeExpectation, requirement: Requirement) -> Outcome {
        var outcome = Outcome(stops: true)
        let status = "\(response.status) \(response.shownReasonPhrase)"
        guard let earned = expectation.onRefusal else {
            outcome.mismatch("the server refused a valid opening request: \(status)", requirement)
            return outcome
        }
        if let own = expectation.statusVerdicts[response.status] {
            outcome.verdict = own
            if own > .ok { outcome.reasons.append("refused with \(status) (\(own))") }
        } else if let statuses = expectation.refusalStatuses, !statuses.contains(response.status) {
            outcome.verdict = .nonStrict
            outcome.reasons.append("refused with \(status); expected \(statuses.sorted().map(String.init).joined(separator: " or "))")
        } else if expectation.refusalStatuses == nil && !(400..<500).contains(response.status) {
            outcome.verdict = .nonStrict
            outcome.reasons.append("refused with \(status); expected a 4xx status")
        } else if earned > .ok {
            outcome.reasons.append("the server refused the request: \(status) (\(earned))")
        }
        if expectation.refusalOffersVersion && !response.headers.listContains("Sec-WebSocket-Version", token: "13") {
            outcome.verdict = max(outcome.verdict, expectation.refusalWithoutVersion)
            outcome.reasons.append("the refusal does not carry Sec-WebSocket-Version: 13 (§4.4)")
        }
        outcome.verdict = max(outcome.verdict, earned)
        return outcome
    }

    /// No HTTP answer at all: where a refusal is the case's better outcome, a lesser refusal (NON-STRICT);
    /// where an upgrade is, the server did not do what the case needs.
    static func noResponse(_ reason: String, _ expectation: HandshakeExpectation, requirement: Requirement) -> Outcome {
        var outcome = Outcome(stops: true)
        if let refusal = expectation.onRefusal, expectation.onUpgrade.map({ refusal <= $0 }) ?? true {
            outcome.verdict = .nonStrict
            outcome.reasons.append("\(reason) (\(expectation.noResponseRule))")
        } else {
            outcome.mismatch(reason, requirement)
        }
        return outcome
    }
}
