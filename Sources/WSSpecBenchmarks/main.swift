// Prints decode+unmask and UTF-8 validation throughput of WebSocketCore beside its peers, with ratios.
// Run through scripts/bench.sh, which builds it in release mode.

// `WSSpecBenchmarks [name...]` runs only the named sections: decode, fragmented, utf8, echo, transfer, catalog, loopback, load, report, handler,
// hummingbird (built with the Hummingbird trait, as scripts/bench.sh builds it)
// (and handler-breakdown, the cost of each step of the handler round trip, only when named).
import WSSpecCommand

let selection = Set(CommandLine.arguments.dropFirst())
func selected(_ name: String) -> Bool { selection.isEmpty || selection.contains(name) }
// The allocator as the wsspec binary sets it (WSSPEC_MALLOC=default measures with glibc's own settings).
let tunedAllocator = AllocatorTuning.apply()

print(
    "wsspec benchmarks (release build; best of 7 timed runs per cell; allocator "
        + (tunedAllocator ? "as the wsspec binary sets it, WSSPEC_MALLOC=default for glibc's own)" : "glibc's own)"))
print("")
if selected("decode") {
    print("Decode + unmask of masked frames, payload GB/s")
    print(
        padded("frames", 16) + padded("wsspec", 10) + padded("NIO", 10) + padded("memcpy", 10)
            + padded("vs NIO", 10) + "vs memcpy")
    for row in try DecodeBenchmark.run() {
        let ours = row.wsspec.gigabytesPerSecond
        print(
            padded(row.label, 16) + padded(formatted(ours), 10) + padded(formatted(row.nio.gigabytesPerSecond), 10)
                + padded(formatted(row.memcpy.gigabytesPerSecond), 10)
                + padded(formatted(ours / row.nio.gigabytesPerSecond) + "x", 10)
                + formatted(100 * ours / row.memcpy.gigabytesPerSecond, decimals: 0) + "%")
    }
    print("targets: >= 1.0x NIO; >= 50% of memcpy at 16 MiB")
    print("")
}
if selected("fragmented") {
    print("One message received whole (server side: parse, unmask, reassemble), in 64 KiB reads; payload GB/s")
    print(
        padded("message", 18) + padded("wsspec", 10) + padded("NIO+agg", 10) + padded("memcpy", 10)
            + padded("vs NIO", 10) + "ns/fragment")
    let rows = try FragmentedDecodeBenchmark.run()
    for row in rows {
        let ours = row.wsspec.gigabytesPerSecond
        print(
            padded(row.label, 18) + padded(formatted(ours), 10) + padded(formatted(row.nio.gigabytesPerSecond), 10)
                + padded(formatted(row.memcpy.gigabytesPerSecond), 10)
                + padded(formatted(ours / row.nio.gigabytesPerSecond) + "x", 10) + formatted(row.nanosecondsPerFragment, decimals: 1))
    }
    func perFragment(_ label: String) -> Double { rows.first { $0.label == label }?.nanosecondsPerFragment ?? .nan }
    print(
        "cost per fragment, 16 MiB against 1 MiB: 64 B \(formatted(perFragment("16 MiB / 64 B") / perFragment("1 MiB / 64 B")))x, "
            + "1 B \(formatted(perFragment("16 MiB / 1 B") / perFragment("1 MiB / 1 B")))x (target: within 1.2x); "
            + "16 MiB / 64 B target >= 0.5 GB/s")
    print("")
}
if selected("utf8") {
    print("UTF-8 validation of 4 MiB, GB/s")
    print(padded("text", 16) + padded("wsspec", 10) + padded("stdlib", 10) + "ratio")
    for row in UTF8Benchmark.run() {
        let ratio = row.wsspec.gigabytesPerSecond / row.standardLibrary.gigabytesPerSecond
        print(
            padded(row.label, 16) + padded(formatted(row.wsspec.gigabytesPerSecond), 10)
                + padded(formatted(row.standardLibrary.gigabytesPerSecond), 10) + formatted(ratio) + "x")
    }
    print("target: >= 1.5x String(validating:as:)")
    print("")
}
if selected("echo") {
    print("Simulated echo over a byte-by-byte link (WireSim, 1 ms latency each way)")
    let echo = SimulatedEchoBenchmark.run()
    print(
        "messages \(echo.messages), events \(echo.events), virtual \(formatted(echo.virtualSeconds)) s, "
            + "wall \(formatted(echo.wallSeconds, decimals: 3)) s")
    print(
        "events/s \(formatted(Double(echo.events) / echo.wallSeconds / 1e6)) M, "
            + "virtual/wall \(formatted(echo.virtualSeconds / echo.wallSeconds, decimals: 1))x")
    print("")
}
if selected("transfer") {
    print("A 16 MiB binary message each way over the simulated network (WireSim; best of 5), send to whole message")
    let copy = SimulatedTransferBenchmark.memcpyGigabytesPerSecond()
    print(
        padded("segmentation", 18) + padded("client>server", 15) + padded("server>client", 15) + padded("events", 8)
            + "slower way vs memcpy (\(formatted(copy)) GB/s)")
    for row in SimulatedTransferBenchmark.transfers() {
        print(
            padded(row.label, 18) + padded(formatted(row.megabytesPerSecond(row.clientToServer), decimals: 0) + " MB/s", 15)
                + padded(formatted(row.megabytesPerSecond(row.serverToClient), decimals: 0) + " MB/s", 15) + padded(String(row.events), 8)
                + formatted(100 * row.slowerMegabytesPerSecond / 1000 / copy, decimals: 1) + "%")
    }
    print("target: >= 1000 MB/s each way under the policies a seed chooses (ideal, seeded)")
    let cases = try await SimulatedTransferBenchmark.cases()
    print(
        "case 9.2.6 in-process \(formatted(cases.idealSeconds, decimals: 3)) s (seed 0), \(formatted(cases.seededSeconds, decimals: 3)) s "
            + "(seed 7); loopback TCP \(formatted(cases.loopbackSeconds, decimals: 3)) s")
    print(
        "section 9 (54 cases, 2 jobs) in-process \(formatted(cases.sectionIdealSeconds, decimals: 2)) s, loopback TCP "
            + "\(formatted(cases.sectionLoopbackSeconds, decimals: 2)) s (in-process must be faster)")
    print("")
}
if selected("catalog") {
    print("Conformance catalog in-process against the reference server (WireSim, 2 jobs)")
    let catalog = await CatalogBenchmark.run(jobs: 2)
    print("cases \(catalog.cases), not passed \(catalog.failures), verdict changes over 100 seeds \(catalog.verdictChanges)")
    print(
        "1 seed \(formatted(catalog.oneSeedSeconds, decimals: 3)) s (target <= 1 s); "
            + "100 seeds \(formatted(catalog.hundredSeedsSeconds, decimals: 1)) s (target <= 60 s)")
    print(
        "whole catalog, load sections included (\(catalog.allCases) cases): 1 seed \(formatted(catalog.allOneSeedSeconds, decimals: 2)) s "
            + "(target < 10 s with reports); 10 seeds \(formatted(catalog.allTenSeedsSeconds, decimals: 1)) s (target < 100 s), "
            + "verdict changes \(catalog.allVerdictChanges)")
    print("")
}
if selected("loopback") {
    print("Sections 1-7 and 10 against the reference server over TCP loopback, HTTP/1.1 and HTTP/2 (16 jobs; best of 3)")
    let loopback = try await LoopbackBenchmark.run(jobs: 16)
    print(
        "cases \(loopback.cases), not passed \(loopback.notPassed), wall \(formatted(loopback.loopbackSeconds, decimals: 3)) s "
            + "(target <= 1.5 s); same cases in-process \(formatted(loopback.simulatedSeconds, decimals: 3)) s "
            + "(loopback/in-process \(formatted(loopback.loopbackSeconds / loopback.simulatedSeconds, decimals: 1))x)")
    print(
        "longest case \(loopback.longestCase.id) \(formatted(loopback.longestCase.seconds, decimals: 3)) s of scripted pauses: "
            + "the floor of any run; harness overhead above it \(formatted(loopback.loopbackSeconds - loopback.longestCase.seconds, decimals: 3)) s")
    print(
        "over HTTP/2 (h2c, RFC 8441; a connection per case): not passed \(loopback.http2NotPassed), wall "
            + "\(formatted(loopback.http2Seconds, decimals: 3)) s (\(formatted(loopback.http2Seconds / loopback.loopbackSeconds, decimals: 2))x "
            + "HTTP/1.1's); CPU \(formatted(loopback.http2CPUSeconds, decimals: 3)) s against \(formatted(loopback.loopbackCPUSeconds, decimals: 3)) s "
            + "(\(formatted(loopback.http2CPUSeconds / loopback.loopbackCPUSeconds, decimals: 2))x)")
    print("")
}
if selected("load") {
    print("Load sections against the reference server over TCP loopback (4 jobs; default round-trip budget)")
    var compressionSeconds = 0.0
    for section in try await LoadBenchmark.run(jobs: 4) {
        let ratio = section.compressionRatio.map { ", mean compression ratio \(formatted($0, decimals: 3))" } ?? ""
        print(
            "\(padded(section.name, 6)) cases \(section.cases), not passed \(section.notPassed), "
                + "wall \(formatted(section.seconds, decimals: 2)) s, peak RSS \(formatted(section.peakMiB, decimals: 0)) MiB, "
                + "slowest \(section.slowest.id) \(formatted(section.slowest.seconds, decimals: 2)) s\(ratio)")
        for problem in section.problems { print("  not passed: \(problem)") }
        if section.name != "9.x" { compressionSeconds += section.seconds }
    }
    print("12.x + 13.x \(formatted(compressionSeconds, decimals: 2)) s (target <= 30 s); 9.x target <= 30 s")
    print("")
}
if selected("report") {
    print("A 500-case report in every format (HTML, JSON, JUnit, saved run); best of 3")
    let report = try await ReportBenchmark.run()
    print(
        "cases \(report.cases), files \(report.files), \(formatted(report.seconds, decimals: 3)) s (target < 1 s); "
            + "index.html \(formatted(Double(report.indexBytes) / 1_048_576, decimals: 2)) MiB (target < 2 MiB), "
            + "all files \(formatted(Double(report.totalBytes) / 1_048_576, decimals: 1)) MiB")
    print("")
}
if selected("handler") {
    print("Handler round trip: connect + send + receive + close against the same echo handler; best of 3")
    let handler = try await HandlerBenchmark.run()
    print(
        "in-process (WebSocketTesting) \(formatted(handler.inProcessSeconds * 1e6, decimals: 1)) µs; "
            + "loopback TCP (NIO server) \(formatted(handler.loopbackSeconds * 1e6, decimals: 1)) µs; "
            + "in-process is \(formatted(handler.loopbackSeconds / handler.inProcessSeconds, decimals: 1))x faster (target >= 100x)")
    print("")
}
#if Hummingbird
    if selected("hummingbird") {
        print("Hummingbird route round trip: connect + send + receive + close against the same echo route; best of 3")
        let figures = try await HummingbirdBenchmark.run()
        for (name, pair) in [("per connection (one server)", figures.perConnection), ("per test (a fresh server)", figures.perTest)] {
            print(
                "\(name): in-process (WebSocketTestingHummingbird) \(formatted(pair.inProcess * 1e6, decimals: 1)) µs; "
                    + "Hummingbird's test client, live server \(formatted(pair.live * 1e6, decimals: 1)) µs; "
                    + "in-process is \(formatted(pair.live / pair.inProcess, decimals: 1))x faster (target >= 5x)")
        }
        print("")
    }
#endif
if selection.contains("handler-breakdown") { // Diagnostic, run only when named.
    try await HandlerBreakdown.run()
}
print("(checksum \(blackHole & 0xFF))")
