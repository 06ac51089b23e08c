import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How the wsspec process asks glibc's allocator to treat the large buffers it moves. By default glibc maps
/// buffers of more than a few megabytes fresh and gives freed memory at the top of the heap back to the system, so
/// every 16 MiB message (the catalog's largest; the reference server reassembles them, the harness sends and checks
/// them) is faulted in page by page anew: about 8 000 page faults, which doubled the cost per fragment of a 16 MiB
/// message against a 1 MiB one (`scripts/bench.sh fragmented`). Buffers up to 32 MiB come from the heap instead,
/// and up to 128 MiB of freed memory is kept for the next message. A library embedding the core is not touched:
/// only the wsspec executable (and the benchmarks, which measure what it runs) call this.
public enum AllocatorTuning {
    /// Applies the settings, unless `WSSPEC_MALLOC=default` asks for glibc's own; returns whether they were applied.
    @discardableResult
    public static func apply() -> Bool {
        #if canImport(Glibc)
            guard ProcessInfo.processInfo.environment["WSSPEC_MALLOC"] != "default" else { return false }
            // mallopt is glibc's (malloc.h), which Swift's Glibc module does not import.
            typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(nil, "mallopt") else { return false }
            let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
            let mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1 // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
            return mallopt(mmapThreshold, 32 << 20) == 1 && mallopt(trimThreshold, 128 << 20) == 1
        #else
            return false
        #endif
    }
}
