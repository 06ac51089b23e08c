/// The outcomes a case accepts, in words, for its result and report.
enum OutcomeDescription {
    static func describe(_ scenario: ScenarioCase) -> [String] {
        var lines: [String] = []
        func add(_ steps: [Step]) {
            for step in steps {
                switch step {
                case .open(let spec): lines.append("handshake: \(describe(spec.expect))")
                case .expect(let expectation): lines.append(expectation.description)
                case .oneOf(let alternatives): lines.append("one of: " + alternatives.map(\.description).joined(separator: " | "))
                case .depending(let needs, _): lines.append("(steps that depend on \(needs))")
                default: continue
                }
            }
        }
        add(scenario.steps)
        switch scenario.closing {
        case .clientCloses(let code, let answers):
            lines.append("closing: the client closes with \(code); the peer answers \(Expectation.list(answers)) and closes TCP")
        case .peerFails(let codes):
            lines.append("closing: the peer fails the connection with \(Expectation.list(codes))")
        case .informational:
            lines.append("closing: recorded, not judged")
        }
        return lines
    }

    static func describe(_ expectation: HandshakeExpectation) -> String {
        var parts: [String] = []
        if let verdict = expectation.onUpgrade { parts.append("\(verdict) on 101 Switching Protocols") }
        if let verdict = expectation.onRefusal {
            let statuses = expectation.refusalStatuses.map { $0.sorted().map(String.init).joined(separator: "/") } ?? "4xx"
            parts.append("\(verdict) on refusal with \(statuses)\(expectation.refusalOffersVersion ? " and Sec-WebSocket-Version: 13" : "")")
        }
        return parts.joined(separator: ", ")
    }
}
