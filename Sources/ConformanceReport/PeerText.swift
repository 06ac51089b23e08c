/// What a reader of peer text could not see, or would see out of place: the characters every output (terminal,
/// CI log, Markdown) shows as `\u{…}` escapes instead of passing on.
public enum PeerText {
    /// Control characters, line and paragraph separators, and the invisible or direction-changing formatting
    /// characters (a right-to-left override can make `FAILED` read as `DELIAF`; a zero-width space hides a word break).
    public static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
        case 0x00AD, 0x061C, 0x180E, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    /// `scalar` as a visible escape: `\u{1B}`.
    public static func escape(_ scalar: Unicode.Scalar) -> String { "\\u{\(String(scalar.value, radix: 16, uppercase: true))}" }

    /// The text on one line with everything hidden shown as an escape (`except` keeps the scalars it names).
    public static func visible(_ text: String, except kept: Set<Unicode.Scalar> = []) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if kept.contains(scalar) || !isHidden(scalar) { out.unicodeScalars.append(scalar) } else { out += escape(scalar) }
        }
        return out
    }
}
