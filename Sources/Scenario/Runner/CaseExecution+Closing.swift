import WebSocketCore

/// The closing handshake: how the connection ends, and how that is judged apart from the behaviour.
extension CaseExecution {
    /// How the connection is to end: as the case says, unless the run lacked what the case needs, in which
    /// case the client just closes normally.
    var closing: ClosingBehaviour { grade.verdict == .unimplemented ? .clientCloses() : scenario.closing }

    func finishClosing() async {
        let deadline = now + parameters.closeTimeout
        switch closing {
        case .clientCloses(let code, _):
            if endpoint.sentClose == nil && endpoint.failure == nil && !endpoint.ended {
                await perform(.send(.close(code: code)))
            }
        case .peerFails, .informational:
            // Give the peer its chance to close first; close ourselves if it does not.
            while endpoint.receivedClose == nil && !endpoint.ended && now < deadline { await pumpOnce(until: deadline) }
            if endpoint.sentClose == nil && endpoint.failure == nil && !endpoint.ended {
                weClosedAtCaseEnd = true
                await perform(.send(.close(code: 1000)))
            }
        }
        // The server closes the TCP connection first (§7.1.1): as the client, we wait for it, on a timer; as the
        // server, we wait for the peer's close frame, then close, then give it the same time to close its side.
        let end = now + parameters.closeTimeout
        if role == .server {
            while endpoint.receivedClose == nil && !endpoint.ended && now < end { await pumpOnce(until: end) }
            await flush()
            await closeOurSide()
        }
        while !endpoint.ended && now < end { await pumpOnce(until: end) }
    }

    /// RFC 6455 sets no message size an endpoint must take, and lets one refuse a message too big to process with
    /// 1009 (§7.4.1). Past this size such a refusal is graded as a limit, not a failure; below it, it fails the
    /// case: limits that small are rare, and a broken length decoder often shows as a 1009 on small messages.
    static let sizeLimitFloor = 1 << 20

    /// The peer refused a round trip's message with 1009: the case is recorded, not judged, and so is its close.
    func refusedAsTooBig(_ size: Int, round: Int, of count: Int) {
        grade.stop(
            .informational,
            "round trip \(round) of \(count): the peer refused a message of \(size) bytes as too big to process "
                + "(1009, RFC 6455 §7.4.1): a size limit, not a broken rule; the case measures nothing past it")
        refusedMessageAsTooBig = true
    }

    func closeOutcome() -> CloseGrading.Outcome {
        if refusedMessageAsTooBig {
            return CloseGrading.Outcome(verdict: .informational, reason: "the peer closed with 1009 after refusing a message as too big")
        }
        if !opened {
            return grade.stopped && grade.verdict <= .nonStrict
                ? CloseGrading.Outcome(verdict: .ok, reason: nil)
                : CloseGrading.Outcome(verdict: .informational, reason: "no WebSocket connection was opened")
        }
        return CloseGrading.grade(
            closing,
            ClosingFacts(
                ourFailure: endpoint.failure, sentByUs: endpoint.sentClose, sentByPeer: endpoint.receivedClose,
                initiatedBy: endpoint.initiatedBy, droppedBy: endpoint.droppedBy,
                weClosedAtCaseEnd: weClosedAtCaseEnd, role: role,
                connectionName: transport.openingHandshake.kind == .http2ExtendedConnect
                    ? "its side of the HTTP/2 stream (END_STREAM)" : "the TCP connection"))
    }
}
