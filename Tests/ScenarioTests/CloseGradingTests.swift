import Testing
import WebSocketCore

@testable import Scenario

/// The close verdict keeps Autobahn|Testsuite's meaning, rule by rule (`CloseGrading`).
@Suite("The close verdict")
struct CloseGradingTests {
    static let fails = ClosingBehaviour.peerFails(codes: [1002])
    static let closes = ClosingBehaviour.clientCloses()

    static func close(_ code: UInt16?) -> CloseFrameRecord {
        CloseFrameRecord(payload: code.map { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } ?? [])
    }

    /// A clean end: the client's close answered with `answer`, then the server closed TCP.
    static func facts(
        client: UInt16? = 1000, server answer: CloseFrameRecord? = close(1000), startedBy: ClosingRecord.Side? = .client,
        droppedBy: ClosingRecord.Side? = .server, failure: ProtocolViolation? = nil,
        closedAtCaseEnd: Bool = false
    ) -> ClosingFacts {
        ClosingFacts(
            ourFailure: failure, sentByUs: client.map(close), sentByPeer: answer,
            initiatedBy: startedBy, droppedBy: droppedBy, weClosedAtCaseEnd: closedAtCaseEnd)
    }

    @Test func aCleanClosingHandshakeIsOK() {
        #expect(CloseGrading.grade(Self.closes, Self.facts()) == .init(verdict: .ok, reason: nil))
    }

    @Test func anAnswerWithoutACodeIsNoWrongCode() {
        #expect(CloseGrading.grade(Self.closes, Self.facts(server: Self.close(nil))).verdict == .ok)
        #expect(CloseGrading.grade(Self.closes, Self.facts(server: Self.close(1002))).verdict == .wrongCode)
    }

    @Test func whereTheClientClosesTheHandshakeMustComplete() {
        let unanswered = ClosingFacts(
            ourFailure: nil, sentByUs: Self.close(1000), sentByPeer: nil,
            initiatedBy: .client, droppedBy: .server, weClosedAtCaseEnd: false)
        #expect(CloseGrading.grade(Self.closes, unanswered).verdict == .unclean)
        // The peer answered but never closed TCP: the client had to.
        #expect(CloseGrading.grade(Self.closes, Self.facts(droppedBy: .client)).verdict == .unclean)
        // The peer started the closing handshake where the client was to.
        #expect(CloseGrading.grade(Self.closes, Self.facts(startedBy: .server)).verdict == .failed)
    }

    @Test func failingTheConnectionByDroppingTCPIsOKWithAnAdvisory() {
        let dropped = ClosingFacts(
            ourFailure: nil, sentByUs: nil, sentByPeer: nil, initiatedBy: nil,
            droppedBy: .server, weClosedAtCaseEnd: false)
        let outcome = CloseGrading.grade(Self.fails, dropped)
        #expect(outcome.verdict == .ok)
        #expect(outcome.advisories == [.droppedWithoutCloseFrame])
    }

    @Test func failingTheConnectionWithACloseFrame() {
        #expect(
            CloseGrading.grade(Self.fails, Self.facts(client: 1002, server: Self.close(1002), startedBy: .server)) == .init(verdict: .ok, reason: nil)
        )
        let noCode = CloseGrading.grade(Self.fails, Self.facts(client: 1005, server: Self.close(nil), startedBy: .server))
        #expect(noCode.verdict == .ok && noCode.advisories == [.failedWithoutCode])
        #expect(CloseGrading.grade(Self.fails, Self.facts(client: 1000, server: Self.close(1000), startedBy: .server)).verdict == .wrongCode)
        // The peer sent its close frame but left TCP open: the client had to close it.
        #expect(
            CloseGrading.grade(Self.fails, Self.facts(client: 1002, server: Self.close(1002), startedBy: .server, droppedBy: .client))
                .verdict == .failedByClient)
    }

    @Test func aPeerThatNeverFailsTheConnectionIsTheWrongEndpoint() {
        let outcome = CloseGrading.grade(Self.fails, Self.facts(closedAtCaseEnd: true))
        #expect(outcome.verdict == .failed)
        #expect(outcome.reason?.contains("did not fail the connection") == true)
    }

    @Test func theClientFailingTheConnectionIsFailedByClientUnlessTheCodeIsAlreadyWrong() {
        let violation = ProtocolViolation.invalidUTF8(offset: 3)
        #expect(CloseGrading.grade(Self.closes, Self.facts(server: Self.close(1007), failure: violation)).verdict == .wrongCode)
        #expect(CloseGrading.grade(Self.closes, Self.facts(server: nil, droppedBy: .client, failure: violation)).verdict == .failedByClient)
    }

    @Test func anInformationalEndingIsNeverJudged() {
        #expect(
            CloseGrading.grade(.informational, Self.facts(server: Self.close(4999), droppedBy: .client, failure: .invalidCloseCode(5000)))
                == .init(verdict: .informational, reason: nil))
    }
}
