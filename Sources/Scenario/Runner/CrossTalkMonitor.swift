import Foundation

/// The data messages the cases of one live run sent, by fingerprint, so that a case that receives one sent by
/// another case can say so. A server that relays messages between connections (a chat room, a broadcast, a mirror)
/// answers each case with the other cases' messages when they run side by side: that is cross-talk, and the
/// run's summary says so (suggesting `--jobs 1`) instead of leaving a wall of FAILED unexplained.
public final class CrossTalkMonitor: @unchecked Sendable {
    /// A message's length and a hash of its first and last bytes: enough to tell the catalog's messages apart,
    /// and cheap for a message of megabytes.
    struct Fingerprint: Hashable, Sendable {
        var length: Int
        var hash: UInt64

        init(_ payload: [UInt8]) {
            length = payload.count
            // FNV-1a over at most 512 bytes, in a plain loop: every message of a run passes here.
            hash = payload.withUnsafeBufferPointer { bytes in
                var hash: UInt64 = 0xCBF2_9CE4_8422_2325
                let head = min(256, bytes.count)
                for index in 0..<head { hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01B3 }
                for index in max(head, bytes.count - 256)..<bytes.count { hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01B3 }
                return hash
            }
        }
    }

    private struct State {
        var senders: [Fingerprint: CaseID] = [:]
        var order: [Fingerprint] = []
    }

    /// Fingerprints kept, the oldest forgotten first: a few thousand cases' messages.
    static let capacity = 8192
    // A pthread lock (NSLock), not `Synchronization.Mutex`: the cases of a live run note their messages from the
    // concurrency pool's threads, and ThreadSanitizer does not see Mutex's ordering on Linux (docs/decisions.md).
    private let lock = NSLock()
    private var state = State()

    public init() {}

    func noteSent(_ fingerprint: Fingerprint, by id: CaseID) {
        lock.withLock {
            if state.senders.updateValue(id, forKey: fingerprint) == nil { state.order.append(fingerprint) }
            if state.order.count > Self.capacity * 2 {
                for old in state.order.prefix(state.order.count - Self.capacity) { state.senders[old] = nil }
                state.order.removeFirst(state.order.count - Self.capacity)
            }
        }
    }

    func sender(of fingerprint: Fingerprint) -> CaseID? { lock.withLock { state.senders[fingerprint] } }

    /// The case ended: what it sent no longer counts. A relaying server passes a message on while its sender's
    /// connection is open, so only cases that ran at the same time can hear each other; a message that merely
    /// equals one an earlier case sent (a lossy echo of invalid UTF-8 that reads like another case's text) is not
    /// cross-talk.
    func finished(_ id: CaseID, sent: Set<Fingerprint>) {
        lock.withLock {
            for fingerprint in sent where state.senders[fingerprint] == id {
                state.senders[fingerprint] = nil
            }
        }
    }
}
