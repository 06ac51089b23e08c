import WebSocketCore

/// How a connection that opened came to an end, as the scripted client saw it.
struct ClosingFacts: Sendable, Hashable {
    /// The client failed the connection because the peer broke a rule.
    var clientFailure: ProtocolViolation?
    var sentByClient: CloseFrameRecord?
    var sentByServer: CloseFrameRecord?
    var initiatedBy: ClosingRecord.Side?
    var droppedBy: ClosingRecord.Side?
    /// The client sent the first close frame only because the case ended and the peer had not closed.
    var clientClosedAtCaseEnd: Bool
}

/// The close verdict, with the meaning Autobahn|Testsuite gives `behaviorClose`, so that gates written
/// for its reports pass and fail the same cases:
/// - the closing handshake must be started by the endpoint the case expects (else FAILED);
/// - where the client closes, the handshake must complete and the peer must close TCP (else UNCLEAN);
/// - a close code, when the peer sends one, must be one the case accepts (else WRONG CODE);
/// - where the peer fails the connection, a TCP drop without a close frame is not unclean: RFC 6455 asks for
///   the close frame with SHOULD only (§7.1.7), so it is an advisory;
/// - a TCP reset after the close frames is not unclean either: which side's last bytes meet a closed socket
///   is a matter of timing (the observation log shows it);
/// - the client having to close TCP itself (the peer did not, after the closing handshake) is FAILED BY
///   CLIENT, as is the client failing the connection for something the peer sent.
enum CloseGrading {
    struct Outcome: Sendable, Hashable {
        var verdict: CloseVerdict
        var reason: String?
        var advisories: [Advisory] = []
    }

    static func grade(_ closing: ClosingBehaviour, _ facts: ClosingFacts) -> Outcome {
        let received = facts.sentByServer
        let accepted: Set<UInt16>
        let requireClean: Bool
        switch closing {
        case .informational: return Outcome(verdict: .informational, reason: nil)
        case .clientCloses(_, let answers):
            if facts.initiatedBy == .server {
                return Outcome(verdict: .failed, reason: "the peer started the closing handshake; the case expects the client to")
            }
            (accepted, requireClean) = (answers, true)
        case .peerFails(let codes):
            if facts.clientClosedAtCaseEnd {
                return Outcome(verdict: .failed, reason: "the peer did not fail the connection; the client closed it when the case ended")
            }
            (accepted, requireClean) = (codes, false)
        }
        var advisories: [Advisory] = []
        if received == nil && !requireClean && facts.droppedBy == .server { advisories.append(.droppedWithoutCloseFrame) }
        if let received, received.code == nil, !requireClean { advisories.append(.failedWithoutCode) }
        func outcome(_ verdict: CloseVerdict, _ reason: String?) -> Outcome { Outcome(verdict: verdict, reason: reason, advisories: advisories) }

        if requireClean && facts.clientFailure == nil {
            guard received != nil else { return outcome(.unclean, "the peer never answered the client's close frame") }
            if facts.droppedBy == .client {
                return outcome(.unclean, "the peer did not close the TCP connection after the closing handshake")
            }
        }
        if let code = received?.code, !accepted.contains(code) {
            return outcome(.wrongCode, "the peer's close code is \(code), expected \(Expectation.list(accepted))")
        }
        if let failure = facts.clientFailure { return outcome(.failedByClient, "the client failed the connection: \(failure)") }
        if facts.droppedBy == .client {
            return outcome(.failedByClient, received == nil ? "the client had to drop the connection"
                : "the peer did not close the TCP connection after the closing handshake")
        }
        return outcome(.ok, nil)
    }
}
