import Dispatch
import Testing
import WireSim

/// Work the simulation cannot see (a framework's own task on another thread) holds virtual time still until it
/// posts its result, and a post from another thread is never overtaken by a later event.
@Suite("Outside work: holds on virtual time, posts from other threads")
struct OutsideWorkTests {
    @Test func aHoldKeepsTheClockStillUntilTheOutsideWorkPosts() throws {
        let simulation = Simulation(seed: 0)
        let timedOut = Box(false), answered = Box<VirtualInstant?>(nil)
        // The client's deadline: 5 virtual seconds.
        simulation.schedule(after: .seconds(5)) { timedOut.value = true }
        let hold = simulation.holdTime("an answer computed on another thread")
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(20)) {
            simulation.post {
                answered.value = simulation.now
                hold.release()
            }
        }
        _ = simulation.run(until: .zero.advanced(by: .seconds(10)), stopWhen: { answered.value != nil })
        #expect(answered.value == .zero) // the answer came at virtual time 0, 20 ms of real time later
        #expect(!timedOut.value) // and the deadline had not passed
    }

    @Test func anAsyncRunSuspendsWhileHeldAndResumesOnThePost() async throws {
        let simulation = Simulation(seed: 0)
        let hold = simulation.holdTime("an answer computed on the global executor")
        let answer = Box<VirtualInstant?>(nil)
        // Outside work as a framework starts it: an unstructured task, on the cooperative pool.
        Task.detached {
            simulation.post {
                answer.value = simulation.now
                hold.release()
            }
        }
        let segments = Box(0)
        let waited = try await simulation.runTask(
            timeout: .seconds(10),
            segments: { segment in
                segments.value += 1
                return segment()
            }
        ) {
            // The client: waits up to 5 s for the answer, checking every 100 ms of virtual time.
            for _ in 0..<50 where answer.value == nil { try await simulation.clock.sleep(for: .milliseconds(100)) }
            return answer.value
        }
        #expect(waited == .zero) // the answer came before any virtual time passed
        #expect(segments.value >= 1)
    }

    @Test func aHoldThatIsNeverReleasedEndsAtItsRealTimeLimit() throws {
        let simulation = Simulation(seed: 0)
        let fired = Box<VirtualInstant?>(nil)
        simulation.schedule(after: .seconds(5)) { fired.value = simulation.now }
        _ = simulation.holdTime("work that never answers", limit: .milliseconds(50))
        _ = simulation.run(until: .zero.advanced(by: .seconds(10)))
        #expect(fired.value == .zero.advanced(by: .seconds(5)))
        #expect(simulation.trace.text.contains("outside work did not finish within its real-time limit"))
    }

    @Test func withoutAHoldTheClockDoesNotWait() throws {
        let simulation = Simulation(seed: 0)
        let fired = Box(false)
        simulation.schedule(after: .seconds(3600)) { fired.value = true }
        let began = ContinuousClock.now
        _ = simulation.run()
        #expect(fired.value)
        #expect(ContinuousClock.now - began < .seconds(1))
    }

    @Test func aPostFromAnotherThreadWhileNoRunIsUnderWayWaitsForTheNextRun() async throws {
        let simulation = Simulation(seed: 0)
        let ran = Box(0)
        // Posted from other threads while nothing drives the simulation: none may touch its queue.
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<64 { group.addTask { simulation.post { ran.value += 1 } } }
        }
        #expect(ran.value == 0)
        _ = simulation.run()
        #expect(ran.value == 64)
    }
}

/// A value the events of one simulation share (they run on its driving thread only).
private final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
