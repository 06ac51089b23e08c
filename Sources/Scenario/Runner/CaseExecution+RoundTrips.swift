import WebSocketCore

/// Round trips: messages sent one at a time, each echo waited for here and judged by `RoundTripTally`.
extension CaseExecution {
    /// Whether permessage-deflate was agreed; if not, the case stops UNIMPLEMENTED (it needs the extension).
    func compressionAgreed() -> Bool {
        guard endpoint.compressionAgreement == nil else { return true }
        grade.stop(.unimplemented, "the \(role.peer) \(role == .server ? "did not offer" : "declined") permessage-deflate, which this case needs")
        return false
    }

    func run(_ trips: RoundTrips) async {
        if trips.compressed && !compressionAgreed() { return }
        let tally = RoundTripTally(trips, budget: parameters.roundTripBudget, start: now, compression: endpoint.compression)
        wire.byteLimit = min(wire.byteLimit, 16 << 10)
        wire.recordLimit = min(wire.recordLimit, WireRecord.roundTripRecordLimit)
        wire.bytesRecordLimit = min(wire.bytesRecordLimit, WireRecord.roundTripRecordLimit)
        let deadline = min(scenario.deadline, tally.start + trips.timeout)
        echoes = []
        defer { echoes = nil }
        for index in 0..<tally.count {
            let payload = tally.payload(index)
            crossTalk.noteSent(payload)
            write(
                endpoint.message(
                    trips.opcode, payload, fragmentSize: trips.fragmentSize, compress: trips.compressed,
                    emptyFinalFragment: trips.emptyFinalFragment))
            while (echoes?.isEmpty ?? true) && !endpoint.ended && endpoint.failure == nil && endpoint.receivedClose == nil && now < deadline {
                await pumpOnce(until: deadline)
            }
            guard let echo = echoes?.first else {
                if endpoint.failure == nil, endpoint.receivedClose?.code == 1009, payload.count > Self.sizeLimitFloor {
                    return refusedAsTooBig(payload.count, round: index + 1, of: tally.count)
                }
                let why =
                    endpoint.failure.map { "the \(role) failed the connection: \($0)" }
                    ?? endpoint.receivedClose.map { "the peer closed with \($0.code.map(String.init) ?? "no code")" }
                    ?? (endpoint.ended ? "the connection ended" : "no echo within \((deadline - tally.start).formatted)")
                return mismatch("round trip \(index + 1) of \(tally.count): \(why)")
            }
            echoes?.removeFirst()
            if let why = tally.mismatch(echo, of: payload, index: index) { return mismatch(why) }
            budget.echoMatched()
        }
        measurements += tally.measurements(at: now, compression: endpoint.compression)
    }
}
