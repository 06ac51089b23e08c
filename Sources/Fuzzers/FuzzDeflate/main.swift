// libFuzzer entry point for the deflate target: build and run it with scripts/fuzz.sh deflate.
import FuzzEntryPoints

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.deflate.fuzzOneInput(data, size)
}
