// libFuzzer entry point for the handshake target: build and run it with scripts/fuzz.sh handshake.
import FuzzEntryPoints

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.handshake.fuzzOneInput(data, size)
}
