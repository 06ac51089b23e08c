public import Scenario

/// The conformance catalog: every case, in id order. Numbering follows Autobahn|Testsuite where a case
/// corresponds (1.x–7.x, 10.1); 0.x (opening handshake) and 11.x (keepalive and timeouts) are our own.
public enum Catalog {
    public static let all: [ScenarioCase] = (
        HandshakeSection.cases + FramingSection.cases + PingPongSection.cases + ReservedBitsSection.cases
            + OpcodeSection.cases + FragmentationSection.cases + UTF8Section.cases + CloseSection.cases
            + AutoFragmentationSection.cases + KeepaliveSection.cases
    ).sorted { $0.id < $1.id }

    /// The cases a selection names, in id order.
    public static func cases(_ selection: CaseSelection) -> [ScenarioCase] { all.filter { selection.contains($0.id) } }

    /// The case with this id.
    public static func `case`(_ id: CaseID) -> ScenarioCase? { all.first { $0.id == id } }
}
