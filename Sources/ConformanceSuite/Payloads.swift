/// Payloads shared by several sections.
enum Payloads {
    /// `count` bytes of `*` (text) or 0xFE (binary), as Autobahn|Testsuite fills its payloads.
    static func filler(_ count: Int, byte: UInt8 = 0x2A) -> [UInt8] { [UInt8](repeating: byte, count: count) }

    /// "κόσμε" in UTF-8: multi-byte characters of two and three bytes.
    static let kosme: [UInt8] = [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5]

    /// κόσμε, a UTF-16 surrogate (ED A0 80, never valid in UTF-8), then "edited".
    static let kosmeWithSurrogate: [UInt8] = kosme + [0xED, 0xA0, 0x80] + Array("edited".utf8)

    static let mixedText = "Hello-µ@ßöäüàá-UTF-8!!"

    static func rfc(_ section: String) -> String { "6455 §\(section)" }
}
