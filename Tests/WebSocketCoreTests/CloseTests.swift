import Testing
import WebSocketCore

@Suite("Close codes and payloads")
struct CloseTests {
    @Test func everyCodeHasTheRightValidity() {
        // The table of RFC 6455 §7.4 and the IANA registry, written out independently of the implementation.
        for raw in 0...UInt16.max {
            let code = CloseCode(raw)
            let expected: CloseCode.Category
            if [1004, 1005, 1006, 1015].contains(raw) {
                expected = .neverSent
            } else if (1000...1003).contains(raw) || (1007...1014).contains(raw) {
                expected = .registered
            } else if (3000...4999).contains(raw) {
                expected = .application
            } else {
                expected = .invalid
            }
            #expect(code.category == expected, "code \(raw)")
            #expect(code.isSendable == (expected == .registered || expected == .application), "code \(raw)")
        }
    }

    @Test func namedConstants() {
        #expect(CloseCode.normalClosure.rawValue == 1000)
        #expect(CloseCode.goingAway.rawValue == 1001)
        #expect(CloseCode.protocolError.rawValue == 1002)
        #expect(CloseCode.unsupportedData.rawValue == 1003)
        #expect(CloseCode.noStatusReceived.rawValue == 1005)
        #expect(CloseCode.abnormalClosure.rawValue == 1006)
        #expect(CloseCode.invalidFramePayloadData.rawValue == 1007)
        #expect(CloseCode.policyViolation.rawValue == 1008)
        #expect(CloseCode.messageTooBig.rawValue == 1009)
        #expect(CloseCode.mandatoryExtension.rawValue == 1010)
        #expect(CloseCode.internalServerError.rawValue == 1011)
        #expect(CloseCode.serviceRestart.rawValue == 1012)
        #expect(CloseCode.tryAgainLater.rawValue == 1013)
        #expect(CloseCode.badGateway.rawValue == 1014)
        #expect(CloseCode.tlsHandshake.rawValue == 1015)
        #expect(CloseCode.policyViolation.description == "1008 (policy violation)")
    }

    @Test func parsesPayloads() throws {
        #expect(try ClosePayload.parse([]) == ClosePayload(code: nil))
        #expect(try ClosePayload.parse([0x03, 0xE8]) == ClosePayload(code: .normalClosure))
        #expect(try ClosePayload.parse([0x0F, 0xA0] + Array("κόσμε".utf8)) == ClosePayload(code: 4000, reason: "κόσμε"))
        #expect(throws: ProtocolViolation.closePayloadTooShort) { try ClosePayload.parse([0x03]) }
        #expect(throws: ProtocolViolation.invalidCloseCode(1005)) { try ClosePayload.parse([0x03, 0xED]) }
        #expect(throws: ProtocolViolation.invalidCloseCode(999)) { try ClosePayload.parse([0x03, 0xE7]) }
        #expect(throws: ProtocolViolation.invalidUTF8(offset: 3)) { try ClosePayload.parse([0x03, 0xE8, 0x41, 0xFF]) }
        #expect(throws: ProtocolViolation.invalidUTF8(offset: 3)) { try ClosePayload.parse([0x03, 0xE8, 0xCE]) }
        #expect(ProtocolViolation.invalidUTF8(offset: 0).closeCode == .invalidFramePayloadData)
    }

    @Test func serializesPayloads() {
        #expect(ClosePayload(code: .goingAway, reason: "bye").bytes == [0x03, 0xE9, 0x62, 0x79, 0x65])
        #expect(ClosePayload(code: nil, reason: "dropped").bytes == [])
    }

    @Test("reasons are cut to 123 bytes on a character boundary", arguments: ["a", "ß", "€", "𝄞"])
    func truncatesOnCharacterBoundary(unit: String) {
        let long = String(repeating: unit, count: 200)
        let cut = ClosePayload(code: .normalClosure, reason: long).truncatingReason
        let width = unit.utf8.count
        #expect(cut.reason.utf8.count == (123 / width) * width)
        #expect(cut.reason.utf8.count <= 123)
        #expect(long.hasPrefix(cut.reason))
        #expect(cut.bytes.count <= 125)
        #expect(UTF8Validator.validate(Array(cut.reason.utf8)) == .valid)
    }

    @Test func shortReasonsAreKept() {
        let exact = String(repeating: "x", count: 123)
        #expect(ClosePayload(code: .normalClosure, reason: exact).truncatingReason.reason == exact)
        #expect(ClosePayload.truncate("𝄞", toUTF8ByteCount: 3) == "")
    }
}
