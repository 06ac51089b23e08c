import ConformanceSuite
import ReferenceServer
import Scenario
import Testing

@Suite("Shards and optional features")
struct ShardAndFeatureTests {
    @Test func shardsPartitionTheCatalog() throws {
        let count = 3
        let shards = (1...count).map { Shard(index: $0, count: count)! }
        var sizes: [Int] = []
        for shard in shards { sizes.append(Catalog.all.count { shard.contains($0.id) }) }
        #expect(sizes.reduce(0, +) == Catalog.all.count)
        for scenario in Catalog.all { #expect(shards.count { $0.contains(scenario.id) } == 1) }
        // Roughly even, and not by section: each shard holds cases of most sections.
        #expect(sizes.allSatisfy { $0 > Catalog.all.count / 4 })
    }

    @Test func aCasesShardDependsOnItsIdAlone() {
        // Pinned: every machine, selection and later version must agree, or merged shards lose cases.
        #expect([Shard.shard(of: "1.1.1", count: 7), Shard.shard(of: "12.3.4", count: 7), Shard.shard(of: "0.5.3", count: 7)] == [5, 6, 2])
    }

    @Test(arguments: ["0/3", "4/3", "1/0", "1", "a/b", "1/3/5", "-1/3", "1/1001", " 1/3", "１/3"])
    func malformedShardsAreRejected(_ text: String) {
        #expect(Shard(parsing: text) == nil)
    }

    @Test func theCatalogSaysWhichCasesNeedWhichFeature() {
        func ids(_ feature: OptionalFeature) -> Set<String> {
            Set(Catalog.all.filter { $0.features.contains(feature) }.map(\.id.rawValue))
        }
        let deflate = ids(.permessageDeflate)
        #expect(deflate.allSatisfy { $0.hasPrefix("12.") || $0.hasPrefix("13.") })
        #expect(deflate.count == Catalog.all.count { $0.id.rawValue.hasPrefix("12.") || $0.id.rawValue.hasPrefix("13.") })
        #expect(ids(.subprotocol).allSatisfy { $0.hasPrefix("0.6.") } && !ids(.subprotocol).isEmpty)
        #expect(ids(.keepalive) == ["11.2.1", "11.2.2", "11.3.1", "11.4.1"])
        // Declining a bad deflate offer is every server's business, with or without compression.
        #expect(!deflate.contains("0.7.4"))
    }

    @Test func casesNeedingAMissingFeatureAreUnimplementedWithoutAConnection() async {
        var suite = InProcessSuite.referenceServer()
        suite.parameters.without = [.permessageDeflate]
        let results = await suite.run(Catalog.cases(CaseSelection(cases: "12.1.1,1.1.1")))
        #expect(results.map(\.verdict) == [.ok, .unimplemented])
        #expect(results[1].reasons.first?.contains("does not implement permessage-deflate") == true)
        #expect(results[1].wire.isEmpty && results[1].handshake == nil)
        #expect(!results[1].fails(strict: true))
    }
}
