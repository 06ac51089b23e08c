/// What all the results of one run keep together, whatever the server sent. Each result is bounded on its
/// own (`RunParameters.wireLogLimit` each way, `Observation.kept`); against a server that floods every case, 574
/// of those would still not fit in memory, so past a run-wide budget later results keep less: the wire
/// records' lengths without their bytes, and their first 20 and last 5 events.
public struct RunRetention: Sendable {
    public static let wireBudget = 8 << 20
    public static let eventBudget = 25_000

    private var wireBytes = 0
    private var events = 0

    public init() {}

    public mutating func fit(_ result: inout CaseResult) {
        let bytes = result.wire.reduce(0) { $0 + $1.bytes.count }
        if wireBytes + bytes > Self.wireBudget {
            for index in result.wire.indices { result.wire[index].bytes = [] }
        } else {
            wireBytes += bytes
        }
        if events + result.observed.count > Self.eventBudget {
            result.observed = Observation.kept(result.observed, atStart: 20, atEnd: 5)
        }
        events += result.observed.count
    }
}
