/// A min-heap of scheduled events ordered by (time, sequence): events at the same virtual time run in
/// the order they were scheduled, so ties never depend on anything but the program itself.
struct EventQueue {
    struct Entry {
        let time: VirtualInstant
        let sequence: UInt64
        let id: UInt64
        let action: () -> Void

        func precedes(_ other: Entry) -> Bool {
            time != other.time ? time < other.time : sequence < other.sequence
        }
    }

    private var heap: [Entry] = []
    var count: Int { heap.count }
    var isEmpty: Bool { heap.isEmpty }
    var nextTime: VirtualInstant? { heap.first?.time }

    mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < heap.count, heap[left].precedes(heap[first]) { first = left }
            if right < heap.count, heap[right].precedes(heap[first]) { first = right }
            if first == parent { break }
            heap.swapAt(parent, first)
            parent = first
        }
        return top
    }
}
