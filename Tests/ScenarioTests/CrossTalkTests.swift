import Testing
import WebSocketCore

@testable import Scenario

/// Cross-talk is a diagnosis that leads a case's reasons, so it must not be made up: a case that hears back a
/// message it sent frame by frame heard itself, and a message that equals what a case sent after that case ended
/// (a lossy echo of invalid UTF-8 reading like another case's text) is not one a server relayed.
@Suite("Cross-talk is claimed only for messages another running case sent")
struct CrossTalkTests {
    static func frame(_ opcode: Opcode, _ text: String, fin: Bool = true) -> Frame {
        Frame(fin: fin, opcode: opcode, payload: Array(text.utf8))
    }

    @Test func aMessageSentFrameByFrameIsTheCasesOwn() {
        let monitor = CrossTalkMonitor()
        var whole = CaseCrossTalk(monitor, case: "6.2.1")
        whole.noteSent(Self.frame(.text, "Hello-µ@ßöäüàá-UTF-8!!"))
        var fragmented = CaseCrossTalk(monitor, case: "6.2.2")
        fragmented.noteSent(Self.frame(.text, "Hello-µ@", fin: false))
        fragmented.noteSent(Self.frame(.continuation, "ßöäüàá-", fin: false))
        fragmented.noteSent(Self.frame(.continuation, "UTF-8!!"))
        fragmented.noteReceived(Array("Hello-µ@ßöäüàá-UTF-8!!".utf8))
        #expect(fragmented.from.isEmpty)
        // A third running case that never sent it did hear another case's message (the monitor names the last
        // case that sent it, here the one that sent it in fragments).
        var other = CaseCrossTalk(monitor, case: "1.1.1")
        other.noteReceived(Array("Hello-µ@ßöäüàá-UTF-8!!".utf8))
        #expect(other.from == ["6.2.2"])
    }

    @Test func aCaseThatEndedIsNoLongerASender() {
        let monitor = CrossTalkMonitor()
        var early = CaseCrossTalk(monitor, case: "6.11.3")
        early.noteSent(Self.frame(.text, "\u{FFFD}\u{FFFD}"))
        var during = CaseCrossTalk(monitor, case: "6.12.1")
        during.noteReceived(Array("\u{FFFD}\u{FFFD}".utf8))
        #expect(during.from == ["6.11.3"])
        early.finish()
        var after = CaseCrossTalk(monitor, case: "6.12.2")
        after.noteReceived(Array("\u{FFFD}\u{FFFD}".utf8))
        #expect(after.from.isEmpty)
    }

    @Test func controlFramesAndStrayContinuationsAreNotMessages() {
        let monitor = CrossTalkMonitor()
        var sender = CaseCrossTalk(monitor, case: "2.1")
        sender.noteSent(Self.frame(.ping, "ping payload"))
        sender.noteSent(Self.frame(.continuation, "nothing to continue"))
        var listener = CaseCrossTalk(monitor, case: "2.2")
        listener.noteReceived(Array("ping payload".utf8))
        listener.noteReceived(Array("nothing to continue".utf8))
        #expect(listener.from.isEmpty)
    }
}
