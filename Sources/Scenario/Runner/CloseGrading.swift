import WebSocketCore

/// How a connection that opened came to an end, as the script saw it. `initiatedBy` and `droppedBy` name real
/// sides; the rest is the script's (`ours`) and the peer's.
struct ClosingFacts: Sendable, Hashable {
    /// We failed the connection because the peer broke a rule.
    var ourFailure: ProtocolViolation?
    var sentByUs: CloseFrameRecord?
    var sentByPeer: CloseFrameRecord?
    var initiatedBy: ClosingRecord.Side?
    var droppedBy: ClosingRecord.Side?
    /// We sent the first close frame only because the case ended and the peer had not closed.
    var weClosedAtCaseEnd: Bool
    /// The script's role: the server closes TCP first (RFC 6455 §7.1.1), so who must drop it depends on it.
    var role: ScriptRole = .client
    /// What the WebSocket runs over, as the reasons name it: a TCP connection, or an HTTP/2 stream (whose orderly end
    /// is END_STREAM, RFC 8441 §6).
    var connectionName = "the TCP connection"
}

/// The close verdict, with the meaning Autobahn|Testsuite gives `behaviorClose`, so that gates written
/// for its reports pass and fail the same cases:
/// - the closing handshake must be started by the endpoint the case expects (else FAILED);
/// - where the script closes, the handshake must complete (else UNCLEAN), and a server under test must then
///   close TCP (else UNCLEAN); a client under test waits for the script, the server, to close it;
/// - a close code, when the peer sends one, must be one the case accepts (else WRONG CODE);
/// - where the peer fails the connection, a TCP drop without a close frame is not unclean: RFC 6455 asks for
///   the close frame with SHOULD only (§7.1.7), so it is an advisory;
/// - a TCP reset after the close frames is not unclean either: which side's last bytes meet a closed socket
///   is a matter of timing (the observation log shows it);
/// - the script having to close TCP itself when the server under test did not is FAILED BY CLIENT (Autobahn's
///   name; in the server role, by the script), as is the script failing the connection for something the peer
///   sent.
enum CloseGrading {
    struct Outcome: Sendable, Hashable {
        var verdict: CloseVerdict
        var reason: String?
        var advisories: [Advisory] = []
    }

    static func grade(_ closing: ClosingBehaviour, _ facts: ClosingFacts) -> Outcome {
        let received = facts.sentByPeer
        let us = facts.role.side, peer = facts.role.peer.side, ourName = facts.role.rawValue
        let accepted: Set<UInt16>
        let requireClean: Bool
        switch closing {
        case .informational: return Outcome(verdict: .informational, reason: nil)
        case .clientCloses(_, let answers):
            if facts.initiatedBy == peer {
                return Outcome(verdict: .failed, reason: "the peer started the closing handshake; the case expects the \(ourName) to")
            }
            (accepted, requireClean) = (answers, true)
        case .peerFails(let codes):
            if facts.weClosedAtCaseEnd {
                return Outcome(verdict: .failed, reason: "the peer did not fail the connection; the \(ourName) closed it when the case ended")
            }
            (accepted, requireClean) = (codes, false)
        }
        var advisories: [Advisory] = []
        if received == nil && !requireClean && facts.droppedBy == peer { advisories.append(.droppedWithoutCloseFrame) }
        if let received, received.code == nil, !requireClean { advisories.append(.failedWithoutCode) }
        func outcome(_ verdict: CloseVerdict, _ reason: String?) -> Outcome { Outcome(verdict: verdict, reason: reason, advisories: advisories) }

        // Dropping TCP after the closing handshake is the server's part: ours when we are the server.
        let weHadToDrop = facts.droppedBy == us && facts.role == .client
        if requireClean && facts.ourFailure == nil {
            guard received != nil else { return outcome(.unclean, "the peer never answered the \(ourName)'s close frame") }
            if weHadToDrop {
                return outcome(.unclean, "the peer did not close \(facts.connectionName) after the closing handshake")
            }
        }
        if let code = received?.code, !accepted.contains(code) {
            return outcome(.wrongCode, "the peer's close code is \(code), expected \(Expectation.list(accepted))")
        }
        if let failure = facts.ourFailure { return outcome(.failedByClient, "the \(ourName) failed the connection: \(failure)") }
        if facts.droppedBy == us && (facts.role == .client || received == nil) {
            return outcome(
                .failedByClient,
                received == nil
                    ? "the \(ourName) had to drop the connection"
                    : "the peer did not close \(facts.connectionName) after the closing handshake")
        }
        return outcome(.ok, nil)
    }
}
