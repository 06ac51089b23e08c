import ConformanceSuite
import Foundation
import ReferenceServer
import Scenario
import Testing
import WebSocketCore

/// The load sections (9.x limits, 12.x/13.x permessage-deflate) against the reference server under simulation.
/// The repeated sweeps leave these out (`Catalog.protocolCases`); here they run once, with a small round-trip
/// budget so that a debug build gets through them in seconds.
@Suite("Load sections: limits and compression")
struct LoadSectionsTests {
    static func suite(_ configuration: EchoServerConfiguration = EchoServerConfiguration()) -> InProcessSuite {
        var suite = InProcessSuite.referenceServer(configuration)
        suite.parameters.roundTripBudget = 2 << 10
        return suite
    }

    static func figure(_ result: CaseResult, _ name: String) -> Double? {
        result.measurements.first { $0.name == name }?.value
    }

    @Test("the catalog has Autobahn|Testsuite's load cases: 54 in 9.x, 90 in 12.x, 126 in 13.x")
    func sectionSizes() {
        let counts = Dictionary(grouping: Catalog.all, by: \.id.section).mapValues(\.count)
        #expect(counts[9] == 54)
        #expect(counts[12] == 90)
        #expect(counts[13] == 126)
        #expect(Catalog.protocolCases.allSatisfy { !Catalog.loadSections.contains($0.id.section) })
        #expect(Catalog.protocolCases.count + 54 + 90 + 126 == Catalog.all.count)
    }

    /// Seed 9 cuts the link into random 1–512-byte pieces: compressed messages arrive across many reads.
    @Test("every compression case is OK and reports its ratios, over a link that splits every write")
    func compressionCasesAreOK() async throws {
        let results = await Self.suite().run(Catalog.cases(CaseSelection(cases: "12.*,13.*")), seed: 9, jobs: 2)
        #expect(results.count == 216)
        for result in results {
            #expect(result.verdict == .ok && result.closeVerdict == .ok, "\(result.summary)")
            #expect(result.permessageDeflate != nil, "\(result.id)")
            #expect(Self.figure(result, "messages echoed") ?? 0 >= 2, "\(result.id)")
        }
        // JSON compresses well; the document corpus, mostly random bytes, hardly at all.
        let json = try #require(results.first { $0.id.rawValue == "12.1.10" })
        #expect(try #require(Self.figure(json, "compression ratio sent")) < 0.4)
        #expect(try #require(Self.figure(json, "compression ratio received")) < 0.4)
        let document = try #require(results.first { $0.id.rawValue == "12.5.10" })
        #expect(try #require(Self.figure(document, "compression ratio sent")) > 0.8)
        // 13.3 asks for a 9-bit server window, 13.2 for no server context takeover.
        let small = try #require(results.first { $0.id.rawValue == "13.3.1" })
        #expect(small.permessageDeflate?.contains("server: 9-bit window") == true)
        let independent = try #require(results.first { $0.id.rawValue == "13.2.1" })
        #expect(independent.permessageDeflate?.contains("server: 15-bit window, no context takeover") == true)
    }

    @Test("a server that declines permessage-deflate gets UNIMPLEMENTED, with the reason")
    func decliningServer() async {
        var configuration = EchoServerConfiguration()
        configuration.permessageDeflate = nil
        let results = await Self.suite(configuration).run(Catalog.cases(CaseSelection(cases: "12.1.1,13.7.18")), jobs: 2)
        for result in results {
            #expect(result.verdict == .unimplemented, "\(result.summary)")
            #expect(result.reasons.first?.contains("declined permessage-deflate") == true)
            #expect(result.closeVerdict == .ok)
        }
    }

    @Test("limits cases echo large, fragmented and chopped messages and report their timings")
    func limitsCases() async throws {
        let ids = "9.1.1,9.2.3,9.3.5,9.4.9,9.5.6,9.6.1,9.7.2,9.8.6"
        let results = await Self.suite().run(Catalog.cases(CaseSelection(cases: ids)), jobs: 2)
        #expect(results.count == 8)
        for result in results {
            #expect(result.verdict == .ok && result.closeVerdict == .ok, "\(result.summary)")
            #expect(Self.figure(result, "time") != nil, "\(result.id)")
            #expect(result.permessageDeflate == nil, "9.x offers no extension")
        }
        // 1 MiB written 64 bytes at a time: the wire log of a round trip stops at its record limit.
        let chopped = try #require(results.first { $0.id.rawValue == "9.6.1" })
        #expect(chopped.wire.count == WireRecord.roundTripRecordLimit, "\(chopped.wire.count) records")
        #expect(chopped.wire.filter { $0.direction == .sent }.reduce(0) { $0 + $1.bytes.count } <= 16 << 10)
        // 9.7.x and 9.8.x are not budgeted: all 1000 round trips run.
        #expect(Self.figure(try #require(results.first { $0.id.rawValue == "9.8.6" }), "messages echoed") == 1000)
    }

    @Test("the budget caps large-message counts, never below two messages")
    func budget() {
        let corpus = MessageCorpus(name: "x", bytes: [1])
        let trips = RoundTrips(.binary, size: 131_072, count: 1000, corpus: corpus, budgeted: true)
        #expect(trips.effectiveCount(budget: 2 << 20) == 16)
        #expect(trips.effectiveCount(budget: 1) == 2)
        #expect(trips.effectiveCount(budget: .max) == 1000)
        #expect(RoundTrips(.binary, size: 16, count: 1000, corpus: corpus, budgeted: true).effectiveCount(budget: 2 << 20) == 1000)
        #expect(RoundTrips(.binary, size: 131_072, count: 1000, corpus: corpus).effectiveCount(budget: 1) == 1000)
    }
}

/// The reference server made to overreach: it tells the client it will keep to the smaller window asked for,
/// but compresses with the full 15 bits (it never sees the parameter). Its back-references then reach past
/// that window, which the client's inflater must refuse.
final class WindowOverreachingServer: ServerSession {
    private let inner = EchoServer(configuration: EchoServerConfiguration())
    private var upgraded = false

    func receive(_ bytes: [UInt8]) -> [ServerAction] {
        guard !upgraded else { return inner.receive(bytes) }
        upgraded = true // Under seed 0 the opening request arrives in one read.
        let request = String(decoding: bytes, as: UTF8.self)
        guard let asked = request.firstMatch(of: /; server_max_window_bits=(\d+)/) else { return inner.receive(bytes) }
        let actions = inner.receive(Array(request.replacingOccurrences(of: String(asked.0), with: "").utf8))
        return actions.map { action in
            guard case .write(let head) = action else { return action }
            let text = String(decoding: head, as: UTF8.self)
            return .write(
                Array(
                    text.replacingOccurrences(
                        of: "Sec-WebSocket-Extensions: permessage-deflate",
                        with: "Sec-WebSocket-Extensions: permessage-deflate" + asked.0
                    ).utf8))
        }
    }

    func timerFired(_ timer: ServerTimer) -> [ServerAction] { inner.timerFired(timer) }
    func transportEnded() -> [ServerAction] { inner.transportEnded() }
}

extension LoadSectionsTests {
    @Test("a server that compresses past the window it agreed to fails the cases that ask for 9 bits")
    func windowOverreachIsCaught() async throws {
        var parameters = RunParameters(describing: EchoServerConfiguration())
        parameters.roundTripBudget = 2 << 10
        let suite = InProcessSuite(parameters: parameters) { WindowOverreachingServer() }
        // 13.3 asks for a 9-bit window with context takeover, 13.4 for 15 bits; rows 4 on send 1 KiB and more.
        let results = await suite.run(Catalog.cases(CaseSelection(cases: "13.3.*,13.4.*")), jobs: 2)
        for result in results {
            let row = result.id.components[2]
            if result.id.components[1] == 3 && row >= 4 {
                #expect(result.verdict == .failed, "\(result.summary)")
                #expect(result.reasons.contains { $0.contains("too far back") }, "\(result.summary)")
            } else if result.id.components[1] == 4 {
                #expect(result.passed, "\(result.summary)")
            }
        }
    }
}
