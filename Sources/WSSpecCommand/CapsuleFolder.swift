import Foundation
import LiveRun
import Scenario

/// The `capsules/` folder of a report directory. Capsules are written as their cases end, so that a long run holds
/// none in memory; an earlier run's capsules are removed first, so that every capsule there is of this run.
final class CapsuleFolder: Sendable {
    static let name = "capsules"
    let directory: URL
    private let failures = NSLock()
    nonisolated(unsafe) private var failed: [String] = []
    nonisolated(unsafe) private var written = 0
    /// The most capsules written (a fuzz run against a broken peer finds the same failure thousands of times).
    let limit: Int

    /// Removes the capsules of an earlier run (the folder's `*.json`, nothing else); a folder that cannot be
    /// cleared is a usage error, before any case runs.
    init(reportDirectory: String, limit: Int = .max) throws {
        self.limit = limit
        directory = URL(fileURLWithPath: reportDirectory).appendingPathComponent(Self.name)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for file in files where file.hasSuffix(".json") {
            do {
                try FileManager.default.removeItem(at: directory.appendingPathComponent(file))
            } catch {
                throw RunFailure.usage(
                    "cannot remove an earlier capsule \(directory.appendingPathComponent(file).path): \(error.localizedDescription)")
            }
        }
    }

    /// The recorder a live run writes its capsules through.
    func recorder(sources: [CaseID: Capsule.Source]) -> CapsuleRecorder {
        recorder { sources[$0] ?? .catalog }
    }

    func recorder(source: @escaping @Sendable (CaseID) -> Capsule.Source) -> CapsuleRecorder {
        CapsuleRecorder(toolVersion: WSSpec.version, source: source, write: write)
    }

    /// Writes a capsule; returns its path relative to the report directory, or nil (and keeps why) when it cannot.
    func write(_ capsule: Capsule) -> String? {
        let allowed = failures.withLock {
            written += 1
            return written <= limit
        }
        guard allowed else { return nil }
        let name = Capsule.fileName(for: capsule.result.id)
        let url = directory.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try capsule.encoded().write(to: url, options: .atomic)
            return "\(Self.name)/\(name)"
        } catch {
            failures.withLock { failed.append("cannot write the capsule \(url.path): \(error.localizedDescription)") }
            return nil
        }
    }

    /// Why capsules could not be written, in the order it happened.
    var writeFailures: [String] { failures.withLock { failed } }
}
