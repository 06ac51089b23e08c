/// Times a workload: repeats it until a run lasts long enough to time well, keeps the best of several runs.
struct Measurement {
    let bytesPerRun: Int
    let seconds: Double

    var gigabytesPerSecond: Double { Double(bytesPerRun) / seconds / 1e9 }
}

/// Defeats dead-code elimination: every workload folds its result in here, and it is printed at the end.
nonisolated(unsafe) var blackHole = 0

func measure(bytesPerRun: Int, runs: Int = 7, minimumSeconds: Double = 0.05, _ body: () throws -> Int) rethrows -> Measurement {
    let clock = ContinuousClock()
    var repetitions = 1
    // Calibrate: find how many repetitions make a run last `minimumSeconds`.
    while true {
        let elapsed = try clock.measure { for _ in 0..<repetitions { blackHole &+= try body() } }
        if elapsed.seconds >= minimumSeconds || repetitions >= 1 << 20 { break }
        repetitions *= 2
    }
    var best = Double.infinity
    for _ in 0..<runs {
        let elapsed = try clock.measure { for _ in 0..<repetitions { blackHole &+= try body() } }
        best = min(best, elapsed.seconds / Double(repetitions))
    }
    return Measurement(bytesPerRun: bytesPerRun, seconds: best)
}

func formatted(_ value: Double, decimals: Int = 2) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let fraction = text[text.index(after: dot)...].count
        if fraction < decimals { text += String(repeating: "0", count: decimals - fraction) }
    }
    return text
}

func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
