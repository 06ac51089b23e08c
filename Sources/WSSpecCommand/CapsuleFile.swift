import ConformanceSuite
import Foundation
import Scenario

/// Reading a capsule file for `replay` and `shrink`: bounded, and every way it can be wrong named.
enum CapsuleFile {
    /// The largest capsule read: the tape's 64 MiB both ways, as hex, and the rest.
    static let maxCapsuleBytes = 160 << 20

    static func load(_ capsule: String) throws -> Capsule {
        let url = URL(fileURLWithPath: capsule)
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.read(upToCount: Self.maxCapsuleBytes + 1) ?? Data()
        } catch {
            throw RunFailure.usage("cannot read the capsule \(capsule): \(error.localizedDescription)")
        }
        if data.count > Self.maxCapsuleBytes {
            throw RunFailure.usage("\(capsule) is larger than any capsule (\(Self.maxCapsuleBytes >> 20) MiB)")
        }
        do {
            return try Capsule.read(data, name: capsule)
        } catch {
            throw RunFailure.usage(error.description)
        }
    }

    /// The case the capsule ran: the scenario file's it carries, or this wsspec's catalog's.
    static func scenario(of capsule: Capsule) throws -> ScenarioCase {
        let id = capsule.result.id
        switch capsule.source {
        case .catalog:
            guard let scenario = Catalog.all.first(where: { $0.id == id }) else {
                throw RunFailure.usage("case \(id) is not in this wsspec's catalog (the capsule is of wsspec \(capsule.toolVersion))")
            }
            return scenario
        case .scenarioFile(let name, let text):
            let cases: [ScenarioCase]
            do {
                cases = try ScenarioFileParser.parse(text, file: name)
            } catch {
                throw RunFailure.usage("the capsule's scenario file does not parse: \(error)")
            }
            guard let scenario = cases.first(where: { $0.id == id }) else {
                throw RunFailure.usage("the capsule's scenario file \(name) has no case \(id)")
            }
            return scenario
        }
    }
}
