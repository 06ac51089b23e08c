/// The byte sequences of sections 6.5–6.23, grouped as Autobahn|Testsuite numbers them. They come from
/// Markus Kuhn's "UTF-8 decoder capability and stress test"; whether each is valid is decided by our own
/// validator at catalog time and cross-checked against Python's codec in the tests.
enum UTF8Sequences {
    struct Group {
        let title: String
        let sequences: [[UInt8]]
    }

    static func hex(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map { offset in
            let start = text.index(text.startIndex, offsetBy: offset)
            return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    static var groups: [Group] {
        let kosme = Payloads.kosme
        let missingLast = ["c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf"].map(hex)
        var nonCharacters: [[UInt8]] = [hex("efbfbe"), hex("efbfbf")]
        for lead: UInt8 in 0xF0...0xF4 {
            for second: UInt8 in [0x8F, 0x9F, 0xAF, 0xBF] where !(lead == 0xF4 && second != 0x8F) {
                for last: UInt8 in [0xBE, 0xBF] where !(lead == 0xF0 && second == 0x8F) {
                    nonCharacters.append([lead, second, 0xBF, last])
                }
            }
        }
        return [
            Group(
                title: "Some valid UTF-8 sequences",
                sequences: [
                    "68656c6c6f24776f726c64", "68656c6c6fc2a2776f726c64", "68656c6c6fe282ac776f726c64",
                    "68656c6c6ff0a4ada2776f726c64"
                ].map(hex) + [kosme]),
            Group(
                title: "All prefixes of a valid UTF-8 string with multi-byte characters",
                sequences: (1...kosme.count).map { Array(kosme.prefix($0)) }),
            Group(title: "First possible sequence of a certain length", sequences: ["00", "c280", "e0a080", "f0908080"].map(hex)),
            Group(title: "First possible sequence of length 5 and 6 (invalid code points)", sequences: ["f888808080", "fc8480808080"].map(hex)),
            Group(title: "Last possible sequence of a certain length", sequences: ["7f", "dfbf", "efbfbf", "f48fbfbf"].map(hex)),
            Group(
                title: "Last possible sequence of length 4, 5 and 6 (invalid code points)",
                sequences: ["f7bfbfbf", "fbbfbfbfbf", "fdbfbfbfbfbf"].map(hex)),
            Group(title: "Other boundary conditions", sequences: ["ed9fbf", "ee8080", "efbfbd", "f48fbfbf", "f4908080"].map(hex)),
            Group(
                title: "Unexpected continuation bytes",
                sequences: ["80", "bf", "80bf", "80bf80", "80bf80bf", "80bf80bf80", "80bf80bf80bf"].map(hex) + [Array(0x80...0xBE)]),
            Group(
                title: "Lonely start characters",
                sequences: [(0xC0, 0xDF), (0xE0, 0xEF), (0xF0, 0xF7), (0xF8, 0xFB), (0xFC, 0xFD)].map { low, high in
                    (low..<high).flatMap { [UInt8($0), 0x20] }
                }),
            Group(title: "Sequences with the last continuation byte missing", sequences: missingLast),
            Group(title: "Concatenation of incomplete sequences", sequences: [missingLast.flatMap { $0 }]),
            Group(title: "Impossible bytes", sequences: ["fe", "ff", "fefeffff"].map(hex)),
            Group(title: "Overlong ASCII character", sequences: ["c0af", "e080af", "f08080af", "f8808080af", "fc80808080af"].map(hex)),
            Group(title: "Maximum overlong sequences", sequences: ["c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf"].map(hex)),
            Group(title: "Overlong NUL character", sequences: ["c080", "e08080", "f0808080", "f880808080", "fc8080808080"].map(hex)),
            Group(
                title: "Single UTF-16 surrogates",
                sequences: ["eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80", "edbfbf"].map(hex)),
            Group(
                title: "Paired UTF-16 surrogates",
                sequences: [
                    "eda080edb080", "eda080edbfbf", "edadbfedb080", "edadbfedbfbf", "edae80edb080", "edae80edbfbf",
                    "edafbfedb080", "edafbfedbfbf"
                ].map(hex)),
            Group(title: "Non-character code points (valid UTF-8)", sequences: nonCharacters),
            Group(title: "Unicode specials (valid UTF-8)", sequences: ["efbfb9", "efbfba", "efbfbb", "efbfbc", "efbfbd", "efbfbe", "efbfbf"].map(hex))
        ]
    }
}
