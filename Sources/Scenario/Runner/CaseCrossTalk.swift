/// One case's part in the run's cross-talk record: what it sent, and which other cases' messages reached it.
struct CaseCrossTalk {
    private let monitor: CrossTalkMonitor?
    private let id: CaseID
    private var sent: Set<CrossTalkMonitor.Fingerprint> = []
    /// The cases whose messages this one received.
    private(set) var from: Set<CaseID> = []

    init(_ monitor: CrossTalkMonitor?, case id: CaseID) {
        self.monitor = monitor
        self.id = id
    }

    /// A data message this case sent.
    mutating func noteSent(_ payload: [UInt8]) {
        guard let monitor else { return }
        let fingerprint = CrossTalkMonitor.Fingerprint(payload)
        sent.insert(fingerprint)
        monitor.noteSent(fingerprint, by: id)
    }

    /// A data message this case received: one it never sent but another case did came from that case's connection.
    mutating func noteReceived(_ payload: [UInt8]) {
        guard let monitor else { return }
        let fingerprint = CrossTalkMonitor.Fingerprint(payload)
        guard !sent.contains(fingerprint), let sender = monitor.sender(of: fingerprint), sender != id else { return }
        from.insert(sender)
    }
}
