#if Hummingbird
    import ConformanceTesting
    import Foundation
    import Hummingbird
    import HummingbirdWSCompression
    import HummingbirdWebSocket
    import Scenario
    import Testing
    import WebSocketTestingHummingbird

    /// The echo server of the peer matrix (Tests/Peers/hummingbird-echo), as an in-process
    /// application: Hummingbird's own Autobahn example, permessage-deflate on, frames and messages up to 16 MiB.
    enum AutobahnSnippet {
        static let server = HummingbirdServer(
            router: Router(),
            configuration: .init(ws: .init(maxFrameSize: 16 << 20, extensions: [.perMessageDeflate(maxDecompressedFrameSize: 16 << 20)]))
        ) { _, _, _ in
            .upgrade([:]) { inbound, outbound, _ in
                for try await message in inbound.messages(maxSize: .max) {
                    switch message {
                    case .binary(let buffer): try await outbound.write(.binary(buffer))
                    case .text(let string): try await outbound.write(.text(string))
                    }
                }
            }
        }
    }

    @Suite("Hummingbird: the conformance catalog against an in-process application")
    struct HummingbirdConformanceTests {
        /// What `wsspec run` over loopback says of the same application: the peer matrix's golden file.
        static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/peers/hummingbird.json")

        @Test func theVerdictsAreThoseOfALiveRun() async throws {
            var parameters = RunParameters()
            parameters.idlePeriod = .seconds(2)
            let results = try await ConformanceCheck.run(
                against: AutobahnSnippet.server, cases: "*", exclude: "9.*,12.*,13.*,0.7.5", agent: "hummingbird",
                parameters: parameters)
            let differences = try results.changes(since: Self.golden)
            print("in-process: \(results.run.results.count) cases, \(differences.count) differ")
            print(differences.map(\.description).joined(separator: "\n"))
            #expect(differences.isEmpty)
        }
    }
#endif
