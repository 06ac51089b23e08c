#if Hummingbird
    import ConformanceTesting
    import Foundation
    import Hummingbird
    import HummingbirdWSCompression
    import HummingbirdWebSocket
    import Scenario
    import Testing
    import WebSocketTestingHummingbird

    /// The echo server of the peer matrix (Tests/Peers/SwiftServers/Sources/hummingbird-echo), as an in-process
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
        /// What `wsspec run` over loopback says of the same application (the peer matrix's golden file).
        static func golden() throws -> [String: (behavior: String, close: String)] {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Fixtures/peers/hummingbird.json")
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
            let cases = object?["cases"] as? [String: [String: String]] ?? [:]
            return cases.compactMapValues { entry in
                guard let behavior = entry["behavior"], let close = entry["behaviorClose"] else { return nil }
                return (behavior, close)
            }
        }

        @Test func theVerdictsAreThoseOfALiveRun() async throws {
            var parameters = RunParameters()
            parameters.idlePeriod = .seconds(2)
            let results = try await ConformanceCheck.run(
                against: AutobahnSnippet.server, cases: "*", exclude: "9.*,12.*,13.*,0.7.5", agent: "hummingbird",
                parameters: parameters)
            let golden = try Self.golden()
            var differences: [String] = []
            for record in results.run.results {
                guard let live = golden[record.id.rawValue] else {
                    differences.append("\(record.id): not in the golden file")
                    continue
                }
                if live.behavior != record.verdict.rawValue || live.close != record.closeVerdict.rawValue {
                    differences.append(
                        "\(record.id): live \(live.behavior)/\(live.close), in-process \(record.verdict.rawValue)/\(record.closeVerdict.rawValue): \(record.reasons.first ?? "")"
                    )
                }
            }
            print("in-process: \(results.run.results.count) cases, \(differences.count) differ")
            print(differences.joined(separator: "\n"))
            #expect(differences.isEmpty)
        }
    }
#endif
