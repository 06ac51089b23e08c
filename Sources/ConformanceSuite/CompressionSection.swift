import Scenario
import WebSocketCore

/// 12.x and 13.x, permessage-deflate (RFC 7692) under load, in Autobahn|Testsuite's numbering: 12.1–12.5 send
/// five kinds of data with the default offer; 13.1–13.7 send JSON under seven offers. Each of the 18 cases of a
/// group sends messages of one size (16 bytes to 128 KiB, some cut into frames) and checks every echo. A server
/// that declines the extension gets UNIMPLEMENTED; the report gives the time and the compression ratios.
enum CompressionSection {
    static var cases: [ScenarioCase] { dataSets + parameterSets }

    /// (message size, fragment size): Autobahn|Testsuite's 18 rows, each of 1000 messages.
    static let rows: [(size: Int, fragment: Int?)] = [
        (16, nil), (64, nil), (256, nil), (1024, nil), (4096, nil), (8192, nil), (16384, nil), (32768, nil),
        (65536, nil), (131_072, nil),
        (8192, 256), (16384, 256), (32768, 256), (65536, 256), (131_072, 256), (131_072, 1024), (131_072, 4096),
        (131_072, 32768)
    ]

    /// The default offer: the client may be asked for no context takeover and a smaller window.
    static let defaultOffer = ExtensionOffer(
        name: "permessage-deflate",
        parameters: [("client_no_context_takeover", nil), ("client_max_window_bits", nil)])

    private static func offer(serverNoContextTakeover: Bool, serverMaxWindowBits: Int?) -> ExtensionOffer {
        var offer = defaultOffer
        if serverNoContextTakeover { offer.parameters.append(("server_no_context_takeover", nil)) }
        if let bits = serverMaxWindowBits { offer.parameters.append(("server_max_window_bits", String(bits))) }
        return offer
    }

    private static var dataSets: [ScenarioCase] {
        let sets: [(MessageCorpus, Opcode)] = [
            (MessageCorpora.json, .text), (MessageCorpora.bitmap, .binary), (MessageCorpora.prose, .binary),
            (MessageCorpora.html, .text), (MessageCorpora.document, .binary)
        ]
        return sets.enumerated().flatMap { index, set in
            group(12, index + 1, corpus: set.0, opcode: set.1, offers: [defaultOffer])
        }
    }

    /// The seven offers of 13.x. The smallest window is 9 bits, as Autobahn|Testsuite 0.8.2 offers it: RFC 7692
    /// allows 8, but zlib cannot make a raw 8-bit window, and servers on zlib decline or refuse an offer of 8.
    private static var parameterSets: [ScenarioCase] {
        let offers: [[ExtensionOffer]] = [
            [defaultOffer],
            [offer(serverNoContextTakeover: true, serverMaxWindowBits: nil)],
            [offer(serverNoContextTakeover: false, serverMaxWindowBits: 9)],
            [offer(serverNoContextTakeover: false, serverMaxWindowBits: 15)],
            [offer(serverNoContextTakeover: true, serverMaxWindowBits: 9)],
            [offer(serverNoContextTakeover: true, serverMaxWindowBits: 15)],
            [
                offer(serverNoContextTakeover: true, serverMaxWindowBits: 9), offer(serverNoContextTakeover: true, serverMaxWindowBits: nil),
                defaultOffer
            ]
        ]
        return offers.enumerated().flatMap { index, offers in
            group(13, index + 1, corpus: MessageCorpora.json, opcode: .text, offers: offers)
        }
    }

    private static func group(
        _ section: Int, _ group: Int, corpus: MessageCorpus, opcode: Opcode,
        offers: [ExtensionOffer]
    ) -> [ScenarioCase] {
        let offered = offers.map(\.description).joined(separator: ", ")
        return rows.enumerated().map { index, row in
            let cut = row.fragment.map { ", cut into \($0)-byte frames" } ?? ""
            let trips = RoundTrips(
                opcode, size: row.size, count: 1000, fragmentSize: row.fragment, corpus: corpus,
                compressed: true, budgeted: true, timeout: .seconds(120))
            return ScenarioCase(
                "\(section).\(group).\(index + 1)", "Compressed \(row.size)-byte messages\(cut): \(corpus.name)",
                sends: "Offers \(offered); then up to 1000 compressed \(opcode) messages of \(row.size) bytes\(cut), "
                    + "each after the previous echo (fewer for large sizes: see roundTripBudget).",
                expectation: "The server accepts one offer as RFC 7692 §7.1 allows and echoes every message intact, "
                    + "compressed or not; UNIMPLEMENTED when it declines permessage-deflate.",
                rfc: ["7692 §7.1", "7692 §7.2"], checks: [.permessageDeflate], deadline: .seconds(125)
            ) {
                Open.handshake { $0.extensions = offers }
                Step.roundTrips(trips)
            }
        }
    }
}
