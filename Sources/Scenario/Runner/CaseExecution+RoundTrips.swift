import WebSocketCore

/// Round trips: messages sent one at a time, each echo checked and timed.
extension CaseExecution {
    func run(_ trips: RoundTrips) async {
        if trips.compressed && endpoint.compressionAgreement == nil {
            return grade.stop(
                .unimplemented, "the \(role.peer) \(role == .server ? "did not offer" : "declined") permessage-deflate, which this case needs")
        }
        let count = trips.effectiveCount(budget: parameters.roundTripBudget)
        wire.byteLimit = min(wire.byteLimit, 16 << 10)
        wire.recordLimit = min(wire.recordLimit, WireRecord.roundTripRecordLimit)
        wire.bytesRecordLimit = min(wire.bytesRecordLimit, WireRecord.roundTripRecordLimit)
        let start = now
        let deadline = min(scenario.deadline, start + trips.timeout)
        let statisticsBefore = endpoint.compression
        var offset = 0
        takingEchoes = true
        defer { takingEchoes = false }
        for index in 0..<count {
            let payload = trips.corpus.slice(from: offset, size: trips.messageSize)
            offset += trips.messageSize
            noteSent(payload)
            write(
                endpoint.message(
                    trips.opcode, payload, fragmentSize: trips.fragmentSize, compress: trips.compressed,
                    emptyFinalFragment: trips.emptyFinalFragment))
            while echoes.isEmpty && !endpoint.ended && endpoint.failure == nil && endpoint.receivedClose == nil && now < deadline {
                await pumpOnce(until: deadline)
            }
            guard !echoes.isEmpty else {
                if endpoint.failure == nil, endpoint.receivedClose?.code == 1009, payload.count > Self.sizeLimitFloor {
                    return refusedAsTooBig(payload.count, round: index + 1, of: count)
                }
                let why =
                    endpoint.failure.map { "the \(role) failed the connection: \($0)" }
                    ?? endpoint.receivedClose.map { "the peer closed with \($0.code.map(String.init) ?? "no code")" }
                    ?? (endpoint.ended ? "the connection ended" : "no echo within \((deadline - start).formatted)")
                return mismatch("round trip \(index + 1) of \(count): \(why)")
            }
            let echo = echoes.removeFirst()
            guard echo.opcode == trips.opcode, echo.payload == payload else {
                let what =
                    echo.opcode != trips.opcode
                    ? "a \(echo.opcode) message, expected \(trips.opcode)"
                    : echo.payload.count != payload.count
                        ? "\(echo.payload.count) bytes, expected \(payload.count)"
                        : "different bytes from byte \(payload.indices.first { echo.payload[$0] != payload[$0] } ?? 0)"
                return mismatch("echo \(index + 1) of \(count) is \(what)")
            }
            // Echoes that matched are not a flood: only what arrives beyond them counts toward the budget.
            receivedBytes = 0
            decodedBytes = 0
        }
        let elapsed = now - start
        let seconds = elapsed.seconds
        measurements.append(CaseMeasurement("messages echoed", Double(count), unit: "× \(trips.messageSize) B"))
        measurements.append(CaseMeasurement("time", seconds * 1000, unit: "ms"))
        if count > 0 { measurements.append(CaseMeasurement("mean round trip", seconds * 1e6 / Double(count), unit: "µs")) }
        if seconds > 0, trips.messageSize > 0 {
            measurements.append(CaseMeasurement("echo throughput", Double(count * trips.messageSize) / seconds / 1e6, unit: "MB/s"))
        }
        if trips.compressed {
            let sent = endpoint.compression.sent.since(statisticsBefore.sent)
            let received = endpoint.compression.received.since(statisticsBefore.received)
            if let ratio = sent.ratio { measurements.append(CaseMeasurement("compression ratio sent", ratio, unit: "")) }
            if let ratio = received.ratio { measurements.append(CaseMeasurement("compression ratio received", ratio, unit: "")) }
        }
    }

}
