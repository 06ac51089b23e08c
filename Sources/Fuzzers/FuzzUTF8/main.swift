// libFuzzer entry point for the utf8 target: build and run it with scripts/fuzz.sh utf8.
import FuzzEntryPoints

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.utf8.fuzzOneInput(data, size)
}
