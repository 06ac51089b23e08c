import ConformanceSuite
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Scenario
import Testing
import WebSocketCore
import WebSocketNIO

@testable import ConformanceReport
@testable import WSSpecCommand

#if canImport(Glibc)
    import Glibc
#endif

extension LiveTests {
    /// serve-suite and run-client hold clients to the limits `SessionServer` holds them to: output queued for a
    /// client that does not read is bounded and, past the case's deadline, dropped; the largest cases are admitted
    /// against a memory budget; made-up agents cannot grow what the server keeps; reports are written off the
    /// concurrency pool, one write for any number of requests that arrive meanwhile.
    @Suite("Limits of the servers that run cases against clients")
    struct CaseServerLimitsTests {
        @Test func admissionKeepsTheBudgetAndServesWaitersInTurn() async {
            let admission = CaseAdmission(budget: MessageMemoryBudget(limit: 100))
            #expect(await admission.admit(60, within: .seconds(1)))
            #expect(await admission.admit(0, within: .zero), "small cases never wait")
            #expect(!(await admission.admit(101, within: .seconds(5))), "what can never fit is refused at once")
            let clock = ContinuousClock()
            let began = clock.now
            #expect(!(await admission.admit(60, within: .milliseconds(200))), "no room: refused at the deadline")
            #expect(clock.now - began >= .milliseconds(200))
            async let waiter = admission.admit(60, within: .seconds(10))
            try? await Task.sleep(for: .milliseconds(50))
            await admission.release(60)
            #expect(await waiter, "room given back lets the waiter in")
            #expect(admission.budget.usedBytes == 60)
        }

        @Test func aCaseIsAdmittedByItsLargestMessage() {
            let parameters = RunParameters()
            let largest = Catalog.clientRole.first { $0.id == "9.1.6" }!
            #expect(CaseAdmission.room(for: largest, parameters) == 4 * (16 << 20))
            #expect(CaseAdmission.room(for: Catalog.clientRole.first { $0.id == "1.1.1" }!, parameters) == 0)
            #expect(
                ConnectionLimits.caseServer.maxMessageMemory >= 2 * CaseAdmission.room(for: largest, parameters),
                "two clients at a time (the client matrix) both fit")
        }

        @Test func madeUpAgentsReplaceEachOtherNotAnHonestOne() async throws {
            let results = CaseServerResults(maxAgents: 3)
            let scenario = Catalog.clientRole[0]
            func finish(_ agent: String, _ count: Int) async {
                for scenario in Catalog.clientRole.prefix(count) {
                    #expect(await results.began(agent: agent, id: scenario.id))
                    await results.finish(.notRun(scenario, reason: "test", seed: nil), agent: agent)
                }
            }
            await finish("honest", 5)
            for index in 0..<50 { await finish("made-up-\(index)", 1) }
            let agents = await results.runs().map(\.agent)
            #expect(agents.count == 3 && agents.contains("honest"))
            // The replaced agents' case files go with them, so that made-up names cannot fill the disk either.
            let changes = await results.snapshot(completing: [])
            #expect(changes.removed.count == 48 && !changes.removed.contains("honest"))
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let gone = Set(changes.removed.prefix(2))
            var runs = await results.runs()
            for agent in gone {
                runs.append(
                    ConformanceRun(
                        agent: agent, target: "t", startedAt: Date(), duration: .zero, seed: 0, strict: false,
                        results: [.notRun(scenario, reason: "x", seed: nil)]))
            }
            try ReportWriter.write(runs, formats: [.json, .html], to: directory)
            ReportWriter.removeCaseFiles(of: gone, cases: [scenario.id], in: directory)
            for agent in gone {
                #expect(
                    !FileManager.default.fileExists(
                        atPath: directory.appendingPathComponent(HTMLReport.casePagePath(agent: agent, id: scenario.id)).path))
            }
            #expect(
                FileManager.default.fileExists(
                    atPath: directory.appendingPathComponent(HTMLReport.casePagePath(agent: "honest", id: scenario.id)).path))
            // An agent that is running a case is never the one replaced; with every agent running, a new one waits.
            let busy = CaseServerResults(maxAgents: 1)
            #expect(await busy.began(agent: "a", id: scenario.id))
            #expect(!(await busy.began(agent: "b", id: scenario.id)))
        }

        @Test func reportRequestsThatArriveDuringAWriteShareTheNextOne() async throws {
            let writes = NIOLockedValueBox(0)
            let gate = NIOLockedValueBox(true)
            let updater = ReportUpdater(
                snapshot: { ReportChanges(runs: [], changed: [:], removed: []) },
                write: { _ in
                    writes.withLockedValue { $0 += 1 }
                    while gate.withLockedValue({ $0 }) { usleep(1000) } // The first write lasts until the requests are in.
                })
            async let first: Void = updater.update()
            while writes.withLockedValue({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { await updater.update() } }
                try? await Task.sleep(for: .milliseconds(100))
                gate.withLockedValue { $0 = false }
            }
            await first
            #expect(writes.withLockedValue { $0 } == 2, "twenty requests during a write are answered by one more write")
        }

        /// A client that never reads: what the server queues for it stays near the limit, and the write gives up
        /// (dropping the connection) at its deadline instead of waiting for ever.
        @Test func outputForAClientThatNeverReadsIsBoundedAndDropped() async throws {
            var limits = ConnectionLimits.caseServer
            limits.maxQueuedOutput = 256 << 10
            let outcome = NIOLockedValueBox<(written: Bool, seconds: Double)?>(nil)
            let server = try await TransportServer.start(limits: limits) { transport in
                let clock = ContinuousClock()
                let began = clock.now
                let written = await transport.write([UInt8](repeating: 7, count: 64 << 20), until: transport.elapsed + .seconds(1))
                outcome.withLockedValue { $0 = (written, (clock.now - began).seconds) }
            }
            // A raw client with a small receive buffer that never reads.
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var size: Int32 = 4096
            setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(server.port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            #expect(connected == 0)
            defer { close(socket) }
            let end = ContinuousClock.now + .seconds(10)
            while outcome.withLockedValue({ $0 }) == nil && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(20)) }
            let result = try #require(outcome.withLockedValue { $0 })
            #expect(!result.written, "64 MiB cannot be written to a client that reads nothing")
            #expect(result.seconds >= 0.9 && result.seconds < 5, "the write gave up at its deadline (\(result.seconds) s)")
            await server.stop()
        }
    }
}

extension Duration {
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
