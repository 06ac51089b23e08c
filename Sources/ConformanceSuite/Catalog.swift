public import Scenario

/// The conformance catalog: every case, in id order. Numbering follows Autobahn|Testsuite where a case
/// corresponds (1.x–7.x, 9.x, 10.1, 12.x, 13.x); 0.x (opening handshake) and 11.x (keepalive and timeouts) are our own.
public enum Catalog {
    public static let all: [ScenarioCase] =
        (HandshakeSection.cases + FramingSection.cases + PingPongSection.cases + ReservedBitsSection.cases
        + OpcodeSection.cases + FragmentationSection.cases + UTF8Section.cases + CloseSection.cases
        + AutoFragmentationSection.cases + KeepaliveSection.cases + LimitsSection.cases + CompressionSection.cases).sorted { $0.id < $1.id }

    /// The sections that load the server (large messages, many round trips, compression) rather than probe
    /// one rule each: slow under simulation in a debug build, so the repeated sweeps of the tests leave them out.
    public static let loadSections: Set<Int> = [9, 12, 13]

    /// Every case outside the load sections.
    public static let protocolCases: [ScenarioCase] = all.filter { !loadSections.contains($0.id.section) }

    /// The cases a client under test runs, with the script as the server: the client's handling of the 101
    /// (0.9.x), and every case that means the same in both roles, under the same ids.
    public static let clientRole: [ScenarioCase] = (ClientHandshakeSection.cases + all.filter(\.runsInBothRoles)).sorted { $0.id < $1.id }

    /// The cases a selection names, in id order.
    public static func cases(_ selection: CaseSelection) -> [ScenarioCase] { all.filter { selection.contains($0.id) } }

    /// The case with this id.
    public static func `case`(_ id: CaseID) -> ScenarioCase? { all.first { $0.id == id } }
}
