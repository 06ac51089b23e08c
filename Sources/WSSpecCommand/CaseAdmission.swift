import Scenario
import WebSocketCore

/// Room for what a case will hold at its peak (its largest message as payload, frames and echo), taken from the
/// server's message budget before the case starts and given back when it ends. Cases whose room is not there yet
/// wait their turn, first come first served; one still waiting at its deadline is refused (503), so that clients
/// that open the largest cases and never read cannot make the server hold more than the budget.
actor CaseAdmission {
    nonisolated let budget: MessageMemoryBudget
    private var waiting: [(id: Int, bytes: Int, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID = 0

    /// Cases whose largest message is smaller than this run without asking: their room is noise.
    static let threshold = 1 << 20

    init(budget: MessageMemoryBudget) {
        self.budget = budget
    }

    /// What a case holds at its peak, to admit: four times its largest message, or nothing for small ones.
    static func room(for scenario: ScenarioCase, _ parameters: RunParameters) -> Int {
        let largest = scenario.timing(parameters).largestMessage
        return largest < threshold ? 0 : 4 * largest
    }

    /// Takes `bytes` of the budget, waiting up to `limit` for them; false when they did not come in time (or can
    /// never fit).
    func admit(_ bytes: Int, within limit: Duration) async -> Bool {
        guard bytes > 0 else { return true }
        guard bytes <= budget.limit else { return false }
        if waiting.isEmpty && budget.reserve(bytes) { return true }
        let id = nextID
        nextID += 1
        let timer = Task { [weak self] in
            try? await Task.sleep(for: limit)
            await self?.giveUp(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in waiting.append((id, bytes, continuation)) }
    }

    /// Gives `bytes` back and lets waiting cases in, in order, while they fit.
    func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        budget.release(bytes)
        admitWaiting()
    }

    private func admitWaiting() {
        while let first = waiting.first, budget.reserve(first.bytes) {
            waiting.removeFirst()
            first.continuation.resume(returning: true)
        }
    }

    private func giveUp(_ id: Int) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(returning: false)
        admitWaiting() // The one that gave up may have held back smaller ones behind it.
    }
}
