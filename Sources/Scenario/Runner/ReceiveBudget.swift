import WebSocketCore

/// How much of the peer's input one case may hold: bytes off the wire, bytes once decoded (inflated), frames
/// logged, and message bytes logged whole. Past the first three the case FAILS and the connection is dropped;
/// past the last, messages are still logged, by their start and length.
struct ReceiveBudget {
    private let parameters: RunParameters
    private var receivedBytes = 0
    /// Message, ping and pong payload bytes as decoded: with permessage-deflate, what the wire bytes inflated to.
    private var decodedBytes = 0
    /// Message payload bytes the log holds whole (`RunParameters.maxLoggedPayloadBytes`).
    private var loggedPayloadBytes = 0

    init(_ parameters: RunParameters) { self.parameters = parameters }

    mutating func received(wireBytes count: Int) { receivedBytes += count }

    mutating func decoded(_ event: ObservedEvent) {
        switch event {
        case .message(_, let payload), .ping(let payload), .pong(let payload): decodedBytes += payload.count
        default: break
        }
    }

    /// What the peer sent beyond the budget, if it did, said as the reason for failing the case.
    func overrun(observations: Int) -> String? {
        if receivedBytes > parameters.maxReceivedBytes { return "more than \(parameters.maxReceivedBytes) bytes" }
        if decodedBytes > parameters.maxReceivedBytes { return "messages of more than \(parameters.maxReceivedBytes) bytes once inflated" }
        if observations > parameters.maxObservations { return "more than \(parameters.maxObservations) frames" }
        return nil
    }

    /// Whether a message of `count` bytes is logged whole; if so it counts against the room for that.
    mutating func logsWhole(_ count: Int) -> Bool {
        guard loggedPayloadBytes + count <= parameters.maxLoggedPayloadBytes else { return false }
        loggedPayloadBytes += count
        return true
    }

    /// An echo matched what was sent: echoes are not a flood, so only what arrives beyond them counts.
    mutating func echoMatched() {
        receivedBytes = 0
        decodedBytes = 0
    }
}
