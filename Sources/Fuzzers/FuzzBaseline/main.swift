// libFuzzer entry point for baselines (--expect files): build and run it with scripts/fuzz.sh baseline.
import FuzzReportEntryPoints

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ReportFuzzTarget.baseline.fuzzOneInput(data, size)
}
