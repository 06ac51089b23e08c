import WebSocketCore

/// One case's part in the run's cross-talk record: what it sent, and which other cases' messages reached it.
struct CaseCrossTalk {
    private let monitor: CrossTalkMonitor?
    private let id: CaseID
    private var sent: Set<CrossTalkMonitor.Fingerprint> = []
    /// The cases whose messages this one received.
    private(set) var from: Set<CaseID> = []
    /// A data message the case is sending frame by frame, so far.
    private var outgoing: [UInt8]?

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

    /// A frame this case sent: a data message counts whole, however many frames it took.
    mutating func noteSent(_ frame: Frame) {
        switch frame.opcode {
        case .text, .binary:
            noteSent(frame.payload) // A server may echo a fragment as a message of its own.
            outgoing = frame.fin ? nil : frame.payload
        case .continuation:
            guard outgoing != nil else { return }
            outgoing! += frame.payload
            if frame.fin, let message = outgoing {
                noteSent(message)
                outgoing = nil
            }
        default: break
        }
    }

    /// The case ended: what it sent stops counting for the cases still running.
    func finish() { monitor?.finished(id, sent: sent) }

    /// A data message this case received: one it never sent but another case did came from that case's connection.
    mutating func noteReceived(_ payload: [UInt8]) {
        guard let monitor else { return }
        let fingerprint = CrossTalkMonitor.Fingerprint(payload)
        guard !sent.contains(fingerprint), let sender = monitor.sender(of: fingerprint), sender != id else { return }
        from.insert(sender)
    }
}
