public import Transport

/// One conformance case: metadata that explains it, and the steps that run it.
public struct ScenarioCase: Sendable, Identifiable {
    public var id: CaseID
    public var title: String
    /// What the client sends, in plain words.
    public var sends: String
    /// What a conforming peer does, in plain words.
    public var expectation: String
    /// RFC 6455 (or 7692, or 9110) sections, e.g. `6455 §5.5.2`.
    public var rfcSections: [String]
    public var requirement: Requirement
    /// Rules the case probes, so a defect can be mapped to the cases that catch it.
    public var checks: Set<Check>
    public var closing: ClosingBehaviour
    /// The whole case must finish within this time (the close included); past it, it is FAILED.
    public var deadline: Duration
    public var steps: [Step]
    /// The way of opening a WebSocket the case is about (the handshake section is about the HTTP/1.1 upgrade), or
    /// `nil` when it means the same however the WebSocket was opened. Under another, it is UNIMPLEMENTED.
    public var opening: OpeningHandshakeKind?

    public init(
        _ id: CaseID, _ title: String, sends: String, expectation: String, rfc: [String],
        requirement: Requirement = .must, checks: Set<Check> = [], closing: ClosingBehaviour = .clientCloses(),
        deadline: Duration = .seconds(30), @StepBuilder steps: () -> [Step]
    ) {
        self.id = id
        self.title = title
        self.sends = sends
        self.expectation = expectation
        self.rfcSections = rfc
        self.requirement = requirement
        self.checks = checks
        self.closing = closing
        self.deadline = deadline
        self.steps = steps()
    }

    /// Whether the case means the same with the roles swapped (the script the server, a client under test): it
    /// opens with the standard handshake, or one that differs only in its extension offers (as the server, the
    /// script takes the client's offer on the terms of its own: `ServerRoleCompression`), and writes no raw bytes,
    /// which would carry a client's masking.
    public var runsInBothRoles: Bool {
        !steps.contains { step in
            switch step {
            case .open(let spec):
                var standard = spec
                standard.extensions = []
                return standard != HandshakeSpec()
            case .sendRaw, .depending: return true
            default: return false
            }
        }
    }

    /// This case, about `kind` of opening handshake.
    public func about(_ kind: OpeningHandshakeKind) -> ScenarioCase {
        var scenario = self
        scenario.opening = kind
        return scenario
    }

    /// The handshake the case opens with (the standard one when it names none).
    public var handshake: HandshakeSpec {
        for case .open(let spec) in steps { return spec }
        return HandshakeSpec()
    }
}
