/// Escaping for HTML text and attribute values. Everything that comes from the peer (close reasons,
/// headers, payloads, subprotocols, the agent name) goes through here before it reaches a page.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case "\r": out += "\\r"
            default:
                // Control characters would be invisible or mangle the page: show them as U+2400 pictures.
                if scalar.value < 0x20 {
                    out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
                } else if scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Bytes as readable text when they are UTF-8, with the rest shown as U+FFFD; escaped.
    static func preview(_ bytes: [UInt8], limit: Int = 96) -> String {
        let shown = String(decoding: bytes.prefix(limit), as: UTF8.self)
        return escape(shown) + (bytes.count > limit ? "…" : "")
    }
}
