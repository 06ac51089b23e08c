/// A first-in, first-out queue with amortised O(1) push and pop. `Array.removeFirst()` moves every element
/// behind the first; a link that delivers a 16 MiB message in 256-byte segments queued tens of thousands of
/// them, and taking them one by one that way made the transfer quadratic.
public struct FIFOQueue<Element> {
    private var storage: [Element] = []
    private var head = 0
    /// How many elements compaction has moved so far: at most one per element appended, whatever the order of
    /// pushes and pops (what a test checks to keep the queue linear).
    public private(set) var elementsMoved = 0

    public init() {}

    public var isEmpty: Bool { head == storage.count }
    public var count: Int { storage.count - head }

    public mutating func append(_ element: Element) { storage.append(element) }

    /// The element `popFirst()` would return, left in place.
    public var first: Element? { head < storage.count ? storage[head] : nil }

    public mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= storage.count {
            // Drop the taken half: each element is moved at most once per halving, O(1) amortised.
            elementsMoved += storage.count - head
            storage.removeSubrange(0..<head)
            head = 0
        }
        return element
    }

    public mutating func removeAll() {
        storage.removeAll()
        head = 0
    }
}

extension FIFOQueue: Sendable where Element: Sendable {}
