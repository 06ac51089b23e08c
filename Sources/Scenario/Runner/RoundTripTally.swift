import WebSocketCore

/// The judging side of a case's round trips: what each echo must be, and what the series measured. The loop that
/// sends and waits is `CaseExecution.run(_:)`, which reads the network; this part does not.
struct RoundTripTally {
    let trips: RoundTrips
    /// How many round trips run: the case's count within the run's budget.
    let count: Int
    let start: Duration
    private let compressionBefore: CompressionStatistics

    init(_ trips: RoundTrips, budget: Int, start: Duration, compression: CompressionStatistics) {
        self.trips = trips
        count = trips.effectiveCount(budget: budget)
        self.start = start
        compressionBefore = compression
    }

    /// The payload of round trip `index` (from 0).
    func payload(_ index: Int) -> [UInt8] {
        trips.corpus.slice(from: index * trips.messageSize, size: trips.messageSize)
    }

    /// Why an echo is not the message sent, or nil when it is.
    func mismatch(_ echo: (opcode: Opcode, payload: [UInt8]), of payload: [UInt8], index: Int) -> String? {
        guard echo.opcode == trips.opcode, echo.payload == payload else {
            let what =
                echo.opcode != trips.opcode
                ? "a \(echo.opcode) message, expected \(trips.opcode)"
                : echo.payload.count != payload.count
                    ? "\(echo.payload.count) bytes, expected \(payload.count)"
                    : "different bytes from byte \(payload.indices.first { echo.payload[$0] != payload[$0] } ?? 0)"
            return "echo \(index + 1) of \(count) is \(what)"
        }
        return nil
    }

    /// What the whole series measured, once every echo came back.
    func measurements(at end: Duration, compression: CompressionStatistics) -> [CaseMeasurement] {
        let seconds = (end - start).seconds
        var measurements = [
            CaseMeasurement("messages echoed", Double(count), unit: "× \(trips.messageSize) B"),
            CaseMeasurement("time", seconds * 1000, unit: "ms")
        ]
        if count > 0 { measurements.append(CaseMeasurement("mean round trip", seconds * 1e6 / Double(count), unit: "µs")) }
        if seconds > 0, trips.messageSize > 0 {
            measurements.append(CaseMeasurement("echo throughput", Double(count * trips.messageSize) / seconds / 1e6, unit: "MB/s"))
        }
        if trips.compressed {
            let sent = compression.sent.since(compressionBefore.sent)
            let received = compression.received.since(compressionBefore.received)
            if let ratio = sent.ratio { measurements.append(CaseMeasurement("compression ratio sent", ratio, unit: "")) }
            if let ratio = received.ratio { measurements.append(CaseMeasurement("compression ratio received", ratio, unit: "")) }
        }
        return measurements
    }
}
