/// The closing handshake as it went on the wire, kept in one place (`Connection.closeRecord`): the first close
/// frame each side sent, its payload as it was (valid or not: a one-byte payload, a code that may not be sent, a
/// reason that is not UTF-8), and which side sent the first one.
public struct CloseRecord: Sendable, Hashable {
    public private(set) var sent: [UInt8]?
    public private(set) var received: [UInt8]?
    public private(set) var initiator: Role?

    public init() {}

    /// `role`'s side sent a close frame with this payload.
    mutating func noteSent(_ payload: [UInt8], by role: Role) {
        guard sent == nil else { return }
        sent = payload
        if received == nil { initiator = role }
    }

    /// The peer of `role`'s side sent a close frame with this payload.
    mutating func noteReceived(_ payload: [UInt8], by role: Role) {
        guard received == nil else { return }
        received = payload
        if sent == nil { initiator = role.peer }
    }
}
