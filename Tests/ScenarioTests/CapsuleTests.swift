import ConformanceSuite
import Foundation
import Scenario
import Testing
import Transport
import WebSocketCore

@Suite("Failure capsules: recording a connection and playing it back")
struct CapsuleTests {
    typealias Defect = DefectiveEchoServer.Defect

    /// Capsules the in-process run left, kept across the simulation's task.
    final class Kept: @unchecked Sendable {
        private let lock = NSLock()
        private var capsules: [Capsule] = []
        func add(_ capsule: Capsule) { lock.withLock { capsules.append(capsule) } }
        var all: [Capsule] { lock.withLock { capsules } }
    }

    /// Runs `cases` in-process against `defect`, each on a recording transport, and keeps a capsule of every case
    /// that fails under `--strict` (as a live run does), sent through JSON and read back.
    static func capsules(_ defect: Defect?, _ cases: [ScenarioCase], runSeed: UInt64 = 3) async throws -> [Capsule] {
        let suite = DefectiveServerTests.suite(defect)
        let kept = Kept()
        let recorder = CapsuleRecorder(toolVersion: "test") { capsule in
            kept.add(capsule)
            return "kept"
        }
        for scenario in cases { _ = await suite.runRecorded(scenario, seed: runSeed, recorder: recorder) }
        return try kept.all.map { try Capsule.read($0.encoded(), name: "\($0.result.id)") }
    }

    @Test("every failing case replays offline to its verdict and reasons, without leaving the tape", arguments: Defect.allCases)
    func failingCasesReplayOffline(_ defect: Defect) async throws {
        let cases = Catalog.protocolCases.filter { !DefectiveServerTests.needsKeepalive($0) }
        let capsules = try await Self.capsules(defect, cases)
        #expect(!capsules.isEmpty, "\(defect) fails no case")
        let byID = Dictionary(uniqueKeysWithValues: cases.map { ($0.id, $0) })
        for capsule in capsules {
            let replay = await capsule.replay(try #require(byID[capsule.result.id]))
            #expect(replay.divergence == nil, "\(defect) \(capsule.result.id): \(replay.divergence ?? "")")
            #expect(replay.reproduced, "\(defect): \(capsule.result.summary) replayed as \(replay.replayed.summary)")
            #expect(replay.replayed.reasons == capsule.result.reasons, "\(defect) \(capsule.result.id)")
            #expect(replay.replayed.advisories == capsule.result.advisories, "\(defect) \(capsule.result.id)")
            #expect(replay.replayed.observed.map(\.description) == capsule.result.observed.map(\.description))
        }
    }

    @Test("a passing case leaves no capsule")
    func passingCasesLeaveNone() async throws {
        #expect(try await Self.capsules(nil, Catalog.cases(CaseSelection(cases: "1.1.*,5.*,7.1.*"))).isEmpty)
    }

    @Test("a replay with another case, or of a changed tape, says where it left the recording")
    func divergenceIsNamed() async throws {
        let capsules = try await Self.capsules(.noUTF8Check, Catalog.cases(CaseSelection(cases: "6.3.1")))
        let capsule = try #require(capsules.first)
        // Another case's script writes other bytes than the tape holds.
        let other = await capsule.replay(try #require(Catalog.cases(CaseSelection(cases: "1.1.1")).first))
        #expect(other.divergence?.contains("differs from the tape") == true, "\(other.divergence ?? "nil")")
        // A tape cut short: the runner reads past it, and times out where the peer's bytes used to be.
        var cut = capsule
        cut.tape = Tape(entries: Array(capsule.tape.entries.prefix(2)), complete: true)
        let short = await cut.replay(try #require(Catalog.cases(CaseSelection(cases: "6.3.1")).first))
        #expect(short.divergence?.contains("not on the tape") == true, "\(short.divergence ?? "nil")")
        #expect(short.replayed.verdict == .failed)
    }

    @Test("playback answers each read with the recorded outcome, on the recorded clock")
    func playbackFollowsTheTape() async {
        var tape = Tape()
        tape.append(.write([1, 2], accepted: true), at: .milliseconds(1))
        tape.append(.read(.bytes([3])), at: .milliseconds(5))
        tape.append(.read(.timedOut), at: .milliseconds(900))
        tape.append(.read(.endOfStream), at: .seconds(2))
        let playback = PlaybackTransport(tape)
        #expect(await playback.write([1, 2], until: .seconds(9)))
        #expect(playback.elapsed == .milliseconds(1))
        #expect(await playback.read(until: .seconds(1)) == .bytes([3]))
        #expect(playback.elapsed == .milliseconds(5))
        #expect(await playback.read(until: .milliseconds(900)) == .timedOut)
        #expect(await playback.read(until: .seconds(3)) == .endOfStream)
        #expect(playback.elapsed == .seconds(2))
        #expect(playback.consumedTape && playback.divergence == nil)
        #expect(await playback.read(until: .seconds(7)) == .timedOut)
        #expect(playback.elapsed == .seconds(7))
        #expect(playback.divergence == "read 4 is not on the tape (it has 3)")
    }

    @Test("a tape keeps bytes by reference, and stops keeping them at its limit")
    func tapeKeepsWithoutCopyingUpToItsLimit() {
        let chunk = [UInt8](repeating: 7, count: 6)
        var tape = Tape(byteLimit: 10)
        tape.append(.read(.bytes(chunk)), at: .zero)
        tape.append(.write(chunk, accepted: true), at: .zero)
        guard case .read(.bytes(let kept)) = tape.entries[0].event else {
            Issue.record("not a read")
            return
        }
        // The same storage: recording copies nothing, however much arrives.
        #expect(kept.withUnsafeBufferPointer { $0.baseAddress } == chunk.withUnsafeBufferPointer { $0.baseAddress })
        guard case .write(let dropped, _) = tape.entries[1].event else {
            Issue.record("not a write")
            return
        }
        #expect(dropped.isEmpty && !tape.complete && tape.entries.count == 2)
    }

    @Test("a capsule reads back as written: scenario file, HTTP/2 header lists and every kind of event")
    func capsuleRoundTrips() throws {
        var tape = Tape()
        tape.append(.requestFields([(":method", "CONNECT"), (":protocol", "websocket")]), at: .zero)
        tape.append(.response(.headers([(":status", "200")])), at: .microseconds(10))
        tape.append(.response(.ended(reset: true)), at: .microseconds(11))
        tape.append(.response(.timedOut), at: .microseconds(12))
        tape.append(.write([0x81, 0x80, 1, 2, 3, 4], accepted: false), at: .milliseconds(1))
        for input in [TransportInput.bytes([0xff, 0]), .endOfStream, .reset, .timedOut] { tape.append(.read(input), at: .milliseconds(2)) }
        tape.append(.close, at: .seconds(1))
        tape.append(.abort, at: .seconds(2))
        var parameters = RunParameters()
        parameters.extraHeaders.add(name: "Authorization", value: "Bearer x")
        parameters.without = [.permessageDeflate, .keepalive]
        parameters.serverPingInterval = .milliseconds(1500)
        let result = CaseResult.notRun(try #require(Catalog.cases(CaseSelection(cases: "1.1.1")).first), reason: "r", seed: 9)
        let capsule = Capsule(
            toolVersion: "9.9", source: .scenarioFile(name: "a.wsspec", text: "case 100.1 \"x\"\n"), target: "ws://[::1]:1/",
            runSeed: 5, seed: 9, deadline: .seconds(30), parameters: parameters, http2Scheme: "https", tape: tape, result: result)
        let read = try Capsule.read(try capsule.encoded(), name: "x")
        #expect(read.source == capsule.source && read.parameters == parameters && read.http2Scheme == "https")
        #expect(read.deadline == .seconds(30) && read.seed == 9 && read.runSeed == 5 && read.result == result)
        #expect(read.tape.entries.count == tape.entries.count && read.tape.complete)
        #expect(String(describing: read.tape.entries.map(\.event)) == String(describing: tape.entries.map(\.event)))
        #expect(read.tape.entries.map(\.at) == tape.entries.map(\.at))
        #expect(try capsule.encoded() == read.encoded())
    }

    @Test(
        "crafted capsules get a named error, never a trap",
        arguments: [
            ("not json", "not a capsule"),
            (#"{"format":"wsspec-capsule/2"}"#, "this wsspec reads wsspec-capsule/1"),
            ("{}", "format is missing")
        ])
    func craftedCapsulesAreNamedErrors(text: String, message: String) {
        #expect(throws: Capsule.ReadError.self) { try Capsule.read(Data(text.utf8), name: "f") }
        do {
            _ = try Capsule.read(Data(text.utf8), name: "f")
        } catch {
            #expect(error.description.hasPrefix("f is not a capsule wsspec can read"), "\(error)")
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test(
        "damaged fields of a real capsule are named",
        arguments: [
            (#""hex":"81"#, #""hex":"8"#, "no even-length hex"),
            (#""op":"read""#, #""op":"peek""#, "unknown tape op"),
            (#""deadline":30000000000"#, #""deadline":-1"#, "negative deadline"),
            (#""maxObservations":20000"#, #""maxObservations":-5"#, "negative")
        ])
    func damagedCapsulesAreNamedErrors(original: String, damage: String, message: String) async throws {
        let capsule = try #require(try await Self.capsules(.noUTF8Check, Catalog.cases(CaseSelection(cases: "6.3.1"))).first)
        let text = String(decoding: try capsule.encoded(), as: UTF8.self)
        #expect(text.contains(original))
        let damaged = text.replacingOccurrences(of: original, with: damage)
        #expect {
            try Capsule.read(Data(damaged.utf8), name: "f")
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
