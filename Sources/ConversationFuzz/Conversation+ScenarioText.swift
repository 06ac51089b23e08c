public import Scenario
import WebSocketCore

/// A conversation as a case of a scenario file (docs/scenario-files.md): one text is what runs, what a capsule
/// carries and what `wsspec shrink` writes, so what was found is what is reproduced.
extension Conversation {
    public var title: String {
        let ending: String
        switch self.ending {
        case .normalClose: ending = "a normal close"
        case .closeMidMessage: ending = "a close between fragments"
        case .closeThenFrame: ending = "a frame after the close"
        case .violation(let violation): ending = "then \(violation.kind.rawValue)"
        case .refusedOpening(let flaw): return "Fuzzed: an opening request with \(flaw.kind.rawValue)"
        }
        return "Fuzzed: \(turns.count) turn\(turns.count == 1 ? "" : "s"), \(frameCount) frames, \(ending)"
    }

    /// The case as a scenario file's text.
    public var scenarioText: String {
        var lines = [
            "# wsspec fuzz, conversation seed \(seed): `wsspec run URL --scenarios FILE` runs it again.",
            "case \(id) \"\(title)\""
        ]
        func add(_ line: String) { lines.append("  " + line) }
        switch ending {
        case .normalClose, .closeMidMessage, .closeThenFrame, .refusedOpening: add("closing normal")
        case .violation(let violation): add("closing fails " + violation.codes.map(String.init).joined(separator: " "))
        }
        // Always an explicit open: a conversation shrunk to nothing but its close still has a step.
        add(openingLine)
        var chopped = false
        for turn in turns {
            switch turn {
            case .message(let message, let chop):
                if let chop {
                    add("chop \(chop.size) \(chop.delayMicroseconds)us")
                    chopped = true
                } else if chopped {
                    add("chop off")
                    chopped = false
                }
                var offset = 0
                for (index, length) in message.fragments.enumerated() {
                    for ping in message.pings where ping.beforeFragment == index { add("send ping \(Self.bytes(ping.payload))") }
                    let last = index == message.fragments.count - 1
                    add(
                        Self.frame(
                            Violation.Frame(
                                opcode: index == 0 ? message.opcode.rawValue : 0, fin: last,
                                payload: Array(message.payload[offset..<offset + length]))))
                    offset += length
                }
                for ping in message.pings { add("expect pong \(Self.bytes(ping.payload))") }
                add("expect \(message.opcode == .text ? "text" : "binary") \(Self.bytes(message.payload))")
            case .compressed(let opcode, let corpus, let size, let count, let fragment):
                let payload = opcode == .text ? "\"\(String(decoding: corpus, as: UTF8.self))\"" : Self.bytes(corpus)
                add(
                    "round-trips \(opcode == .text ? "text" : "binary") \(payload) \(size) \(count)"
                        + (fragment.map { " fragment \($0)" } ?? "") + " compressed")
            case .ping(let payload):
                add("send ping \(Self.bytes(payload))")
                add("expect pong \(Self.bytes(payload))")
            }
        }
        if chopped { add("chop off") }
        switch ending {
        case .normalClose, .refusedOpening: break
        case .closeMidMessage(let opcode, let start):
            add(Self.frame(Violation.Frame(opcode: opcode.rawValue, fin: false, payload: start)))
            add("send close 1000")
            add("expect close 1000")
        case .closeThenFrame(let frame):
            add("send close 1000")
            add(Self.frame(frame))
            add("expect close 1000")
        case .violation(let violation):
            let codes = violation.codes.map(String.init).joined(separator: " ")
            // RSV1 means "compressed" only where the extension is agreed; a peer that declined it makes the case
            // UNIMPLEMENTED, not a reserved-bit case with other expectations.
            if violation.kind == .brokenCompressedBlock { add("needs permessage-deflate") }
            for (index, frame) in violation.frames.enumerated() {
                add(Self.frame(frame))
                // Text that is invalid before its last fragment: as in the catalog's 6.4.x, failing at once is OK, and
                // waiting for the rest of the message NON-STRICT (§8.1 says "when" invalid data arrives).
                guard index == violation.invalidTextFrame, index < violation.frames.count - 1 else { continue }
                add("one-of")
                add("  option ok \"fails as soon as the text cannot be valid\"")
                add("    expect failure \(codes) within 1s")
                add("  option non-strict \"waits for the rest of the message\"")
                add("    expect nothing 1s")
                add("end")
            }
            add("expect failure " + codes)
        }
        lines.append("end")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The opening request as the file's `open` line.
    var openingLine: String {
        var spec = HandshakeSpec()
        if let deflate { spec.extensions = ExtensionOffer.parse([deflate.rawValue]) ?? [] }
        if case .refusedOpening(let flaw) = ending { flaw.apply(to: &spec) }
        // Every field a conversation sets is one the file form can say.
        return spec.scenarioFileLine ?? "open"
    }

    /// The case itself, parsed from `scenarioText`.
    public func scenario() throws(ScenarioFileError) -> ScenarioCase {
        guard let scenario = try ScenarioFileParser.parse(scenarioText, file: "conversation \(id)").first else {
            throw ScenarioFileError(file: "conversation \(id)", line: 0, column: 0, message: "the conversation rendered no case")
        }
        return scenario
    }

    /// Bytes as the file writes them: `""` when empty, else hex.
    static func bytes(_ bytes: [UInt8]) -> String { bytes.isEmpty ? "\"\"" : "0x" + Hex.encode(bytes) }

    static func frame(_ frame: Violation.Frame) -> String {
        var line = "send frame opcode=\(frame.opcode) fin=\(frame.fin ? 1 : 0)"
        if frame.rsv1 { line += " rsv1=1" }
        if frame.rsv2 { line += " rsv2=1" }
        if frame.rsv3 { line += " rsv3=1" }
        if !frame.payload.isEmpty { line += " payload=0x" + Hex.encode(frame.payload) }
        return line
    }
}
