import CFuzzShims

/// The fuzz targets: each slices an input and checks its invariants through the C shims.
/// The fuzzer executables abort on a non-OK result; the regression tests replay corpora through here.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case frames
    case handshake
    case utf8
    case deflate

    /// Checks one input. Returns `WSSPEC_OK` (0), or the broken invariant; inputs shorter than the slice
    /// header are OK (there is nothing to check).
    public func check(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        var slice = wsspec_slice()
        guard wsspec_slice_input(data, size, &slice) == 0 else { return Int32(WSSPEC_OK) }
        switch self {
        case .frames:
            var api = FrameTarget.api
            return wsspec_check_frames(&slice, &api)
        case .handshake:
            var api = HandshakeTarget.api
            return wsspec_check_handshake(&slice, &api)
        case .utf8:
            var api = UTF8Target.api
            return wsspec_check_utf8(&slice, &api)
        case .deflate:
            var api = DeflateTarget.api
            return wsspec_check_deflate(&slice, &api)
        }
    }

    public func check(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBufferPointer { check($0.baseAddress, $0.count) }
    }

    /// The words for a result code.
    public static func describe(_ result: Int32) -> String { String(cString: wsspec_result_name(result)) }

    /// Runs `check` as a libFuzzer entry point: a broken invariant aborts, so libFuzzer saves the input.
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        let result = check(data, size)
        if result != WSSPEC_OK { fatalError("wsspec fuzz target \(rawValue): \(Self.describe(result))") }
        return 0
    }

    /// The structure-aware mutator for frame streams, with libFuzzer's own as fallback.
    public static func mutateFrames(_ data: UnsafeMutablePointer<UInt8>?, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
        wsspec_mutate_frames(data, size, maxSize, seed, wsspec_libfuzzer_mutate)
    }
}
