import CFuzzShims
import WebSocketCore

/// The UTF-8 validator as the C shims see it.
enum UTF8Target {
    /// The function table the C shim calls (built on demand: C function tables are not Sendable).
    static var api: wsspec_utf8_api {
        wsspec_utf8_api(
            context: nil,
            validate: { _, data, size, cuts, cutCount in
                var validator = UTF8Validator()
                for piece in pieces(data, size, cuts, cutCount) { validator.feed(piece) }
                switch validator.finish() {
                case .valid: return wsspec_utf8_outcome(kind: Int32(WSSPEC_UTF8_VALID), offset: 0)
                case .incomplete(let start): return wsspec_utf8_outcome(kind: Int32(WSSPEC_UTF8_INCOMPLETE), offset: start)
                case .invalid(let offset): return wsspec_utf8_outcome(kind: Int32(WSSPEC_UTF8_INVALID), offset: offset)
                }
            }
        )
    }
}
