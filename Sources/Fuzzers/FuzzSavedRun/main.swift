// libFuzzer entry point for saved runs (wsspec-run.json): build and run it with scripts/fuzz.sh saved-run.
import FuzzReportEntryPoints

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ReportFuzzTarget.savedRun.fuzzOneInput(data, size)
}
