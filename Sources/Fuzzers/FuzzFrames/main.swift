// libFuzzer entry point for the frames target: build and run it with scripts/fuzz.sh frames.
import FuzzEntryPoints

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.frames.fuzzOneInput(data, size)
}

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>?, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    FuzzTarget.mutateFrames(data, size, maxSize, seed)
}
