/// What crossed the connection in one case, kept within limits: each way, the first `byteLimit` bytes
/// whole; past them, records of lengths alone, and those only up to `WireRecord.recordLimit` in all (1 MiB
/// written 64 bytes at a time would otherwise add 16 384 of them to every report).
struct WireLog {
    private(set) var records: [WireRecord] = []
    private var kept: [WireRecord.Direction: Int] = [:]
    /// The room each way; a case lowers it for round trips, whose megabytes of echoes would fill every report.
    var byteLimit: Int
    /// Records of lengths alone (past the byte limit) stop here.
    var recordLimit = WireRecord.recordLimit
    /// Records that still keep bytes stop here; only round trips set it, to bound every record.
    var bytesRecordLimit = Int.max

    init(byteLimit: Int) { self.byteLimit = byteLimit }

    mutating func record(_ direction: WireRecord.Direction, _ bytes: [UInt8], at time: Duration) {
        let keptSoFar = kept[direction, default: 0]
        let room = max(0, byteLimit - keptSoFar)
        let stored = bytes.count <= room ? bytes : Array(bytes.prefix(room))
        kept[direction] = keptSoFar + stored.count
        if records.count >= (stored.isEmpty ? recordLimit : bytesRecordLimit) { return }
        records.append(WireRecord(time: time, direction: direction, bytes: stored, length: bytes.count))
    }
}
