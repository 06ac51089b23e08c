import Synchronization
import Testing
import WireSim

@Suite("Scheduler and virtual time")
struct SchedulerTests {
    @Test func eventsRunInVirtualTimeOrderAndTiesInSchedulingOrder() {
        let simulation = Simulation(seed: 1)
        var order: [String] = []
        simulation.schedule(after: .seconds(3)) { order.append("c@3s") }
        simulation.schedule(after: .seconds(1)) { order.append("a@1s") }
        simulation.schedule(after: .seconds(2)) { order.append("b1@2s") }
        simulation.schedule(after: .seconds(2)) { order.append("b2@2s") }
        simulation.schedule(after: .seconds(2)) {
            order.append("b3@2s")
            // Scheduled for "now" from inside an event: after everything already due at this instant.
            simulation.schedule(after: .zero) { order.append("b4@2s") }
        }
        simulation.schedule(after: .seconds(2)) { order.append("b5@2s") }
        #expect(simulation.run() == .quiescent)
        #expect(order == ["a@1s", "b1@2s", "b2@2s", "b3@2s", "b5@2s", "b4@2s", "c@3s"])
        #expect(simulation.now == VirtualInstant(nanoseconds: 3_000_000_000))
    }

    @Test func cancelledEventsDoNotRun() {
        let simulation = Simulation(seed: 1)
        var ran = false
        let event = simulation.schedule(after: .milliseconds(5)) { ran = true }
        simulation.cancel(event)
        simulation.run()
        #expect(!ran)
    }

    @Test func advanceStandsTheClockAtTheEndOfTheWindow() {
        let simulation = Simulation(seed: 1)
        var fired: [Int] = []
        for second in 1...5 { simulation.schedule(after: .seconds(second)) { fired.append(second) } }
        #expect(simulation.advance(by: .milliseconds(2500)) == .reachedDeadline)
        #expect(fired == [1, 2])
        #expect(simulation.now.nanoseconds == 2_500_000_000)
        #expect(simulation.advance(by: .seconds(10)) == .quiescent)
        #expect(fired == [1, 2, 3, 4, 5])
        #expect(simulation.now.nanoseconds == 12_500_000_000)
    }

    @Test func aRunawayLoopHitsTheEventBudgetInsteadOfHanging() {
        let simulation = Simulation(seed: 1)
        func again() { simulation.schedule(after: .zero) { again() } }
        again()
        #expect(simulation.run(maxEvents: 1000) == .eventLimit)
        #expect(simulation.eventCount == 1000)
        simulation.discardPendingEvents() // the loop's next event holds the simulation
        #expect(simulation.run() == .quiescent)
    }

    @Test func aThirtySecondSleepTakesThirtyVirtualSeconds() throws {
        let simulation = Simulation(seed: 1)
        let clock = simulation.clock
        let woke = try simulation.runTask {
            try await clock.sleep(for: .seconds(30))
            return clock.now
        }
        #expect(woke == VirtualInstant(nanoseconds: 30_000_000_000))
        #expect(simulation.now == woke)
    }

    @Test func sleepersWakeInDeadlineOrder() throws {
        let simulation = Simulation(seed: 1)
        let clock = simulation.clock
        let order = try simulation.runTask {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for delay in [30, 10, 20, 10] {
                    group.addTask {
                        try await clock.sleep(for: .seconds(delay))
                        return delay
                    }
                }
                var woke: [Int] = []
                for try await delay in group { woke.append(delay) }
                return woke
            }
        }
        #expect(order == [10, 10, 20, 30])
        #expect(simulation.now.nanoseconds == 30_000_000_000)
    }

    @Test func cancellingASleeperWakesItWithCancellationError() throws {
        let simulation = Simulation(seed: 1)
        let clock = simulation.clock
        let outcome = try simulation.runTask { () -> String in
            // `spawn`, not `Task {}`: an unstructured task does not inherit the simulation's executor.
            let sleeper = simulation.spawn {
                do {
                    try await clock.sleep(for: .seconds(3600))
                    return "slept"
                } catch {
                    return "cancelled at \(clock.now)"
                }
            }
            try await clock.sleep(for: .seconds(5))
            sleeper.cancel()
            return try await sleeper.value
        }
        #expect(outcome == "cancelled at 5.000000000")
    }

    @Test func aTaskThatCanNeverFinishIsReportedNotHung() {
        let simulation = Simulation(seed: 1)
        #expect(throws: SimulationError.stalled(at: .zero)) {
            try simulation.runTask {
                let (stream, _) = AsyncStream<Int>.makeStream() // nobody will ever yield
                for await _ in stream {}
                return 0
            }
        }
    }

    @Test func aTaskPastItsVirtualBudgetTimesOutAndIsCancelledNotAbandoned() {
        let simulation = Simulation(seed: 1)
        let clock = simulation.clock
        final class Flag: Sendable { let raised = Mutex(false) }
        let unwound = Flag()
        #expect(throws: SimulationError.timedOut(after: .seconds(10), at: VirtualInstant(nanoseconds: 10_000_000_000))) {
            try simulation.runTask(timeout: .seconds(10)) {
                do {
                    try await clock.sleep(for: .seconds(60))
                } catch {
                    unwound.raised.withLock { $0 = error is CancellationError }
                    throw error
                }
                return 0
            }
        }
        #expect(unwound.raised.withLock { $0 })
        #expect(simulation.now.nanoseconds == 10_000_000_000) // unwinding took no virtual time
    }

    @Test func xoshiroMatchesItsReferenceOutput() {
        // Computed with an independent implementation of xoshiro256** seeded by SplitMix64.
        var zero = SimulationRandom(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0])
        var beef = SimulationRandom(seed: 0xDEAD_BEEF)
        #expect([beef.next(), beef.next(), beef.next()] == [0xC555_5444_A74D_7E83, 0x65C3_0D37_B4B1_6E38, 0x54F7_7320_0A4E_FA23])
    }
}

/// An actor that lives inside a simulation, on its serial executor.
private actor SimulatedLedger {
    nonisolated let unownedExecutor: UnownedSerialExecutor
    private let clock: VirtualClock
    private(set) var entries: [String] = []

    init(simulation: Simulation) {
        unownedExecutor = simulation.serialExecutor.asUnownedSerialExecutor()
        clock = simulation.clock
    }

    func record(_ name: String, times: Int) async throws {
        for index in 0..<times {
            entries.append("\(name)\(index) at \(clock.now)")
            try await clock.sleep(for: .milliseconds(name == "a" ? 3 : 5))
        }
    }
}

@Suite("Actors on the simulation's serial executor")
struct SimulatedActorTests {
    static func ledger(seed: UInt64) throws -> [String] {
        let simulation = Simulation(seed: seed)
        let ledger = SimulatedLedger(simulation: simulation)
        return try simulation.runTask {
            async let a: Void = ledger.record("a", times: 4)
            async let b: Void = ledger.record("b", times: 3)
            _ = try await (a, b)
            return await ledger.entries
        }
    }

    @Test func anActorsJobsAreEventsInVirtualTimeOrder() throws {
        let entries = try Self.ledger(seed: 1)
        #expect(entries.count == 7)
        // Interleaved by virtual time (a every 3 ms, b every 5 ms), the same every run.
        #expect(entries.map { String($0.prefix(2)) } == ["a0", "b0", "a1", "b1", "a2", "a3", "b2"])
        #expect(try Self.ledger(seed: 1) == entries)
    }
}
