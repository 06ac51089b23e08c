import WebSocketCore

/// UTF-8 validation throughput: wsspec's `UTF8Validator` against the standard library's
/// `String(validating:as:)` on the same bytes.
enum UTF8Benchmark {
    struct Row {
        let label: String
        let wsspec: Measurement
        let standardLibrary: Measurement
    }

    static let samples: [(label: String, text: String)] = [
        ("ASCII", "The quick brown fox jumps over the lazy dog; WebSocket frames carry text and binary data. "),
        ("mixed European", "Größenmaßstäbe für Übergänge, déjà vu à la française, Łódź i Kraków, ñandú en España. "),
        ("CJK", "網路通訊協定在單一連線上提供全雙工通道。ウェブソケットは双方向通信を実現する。웹소켓 통신 규약。")
    ]

    static func run(targetBytes: Int = 4 << 20) -> [Row] {
        samples.map { sample in
            let unit = Array(sample.text.utf8)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(targetBytes + unit.count)
            while bytes.count < targetBytes { bytes += unit }
            let wsspec = measure(bytesPerRun: bytes.count) {
                UTF8Validator.validate(bytes) == .valid ? 1 : 0
            }
            let standardLibrary = measure(bytesPerRun: bytes.count) {
                String(validating: bytes, as: UTF8.self) == nil ? 0 : 1
            }
            return Row(label: sample.label, wsspec: wsspec, standardLibrary: standardLibrary)
        }
    }
}
