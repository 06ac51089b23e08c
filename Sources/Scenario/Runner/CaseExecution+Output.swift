import Transport
import WebSocketCore

/// What the script sends: writes batched per turn, cut into segments when a case asks, and the answers the
/// script owes held until our stream is between frames.
extension CaseExecution {
    /// Queues bytes the script sends. Consecutive sends leave in one write, as a program's writes do when it
    /// hands them to the kernel within one turn of its event loop; anything that waits flushes them first.
    func write(_ bytes: [UInt8]) {
        guard !weClosedTransport, !endpoint.ended, !bytes.isEmpty else { return }
        // Once the peer has sent its close frame the script has nothing more to say: the client answered it,
        // may send no data after that (§5.5.1), and writing into a closing connection only provokes a reset.
        guard endpoint.receivedClose == nil else { return }
        output.enqueue(bytes)
    }

    /// Writes what the script queued, segment by segment when the case asks for it, reading while it waits
    /// between segments.
    func flush() async {
        guard !flushing, let batch = output.takeBatch() else { return }
        flushing = true
        defer { flushing = false }
        guard !weClosedTransport, !endpoint.ended else { return }
        for segment in batch.segments {
            if segment.lowerBound > 0 {
                if output.segmentDelay > .zero { await pump(until: min(now + output.segmentDelay, scenario.deadline)) }
                if now >= scenario.deadline { return }
                if weClosedTransport || endpoint.ended { return }
            }
            await writeNow(batch.bytes(in: segment))
        }
    }

    func writeNow(_ bytes: [UInt8]) async {
        logWire(.sent, bytes)
        // A peer may take its time reading, but not past the case's deadline and a closing handshake's worth.
        guard await transport.write(bytes, until: max(now, scenario.deadline) + parameters.closeTimeout) else {
            return peerStoppedReading(bytes.count)
        }
        if let reply = output.wrote(bytes) { await writeNow(reply) }
    }

    /// Sends an answer the client owes, once our stream is between frames.
    func reply(_ bytes: [UInt8]) async {
        if let now = output.reply(bytes) { await writeNow(now) }
    }

    func logWire(_ direction: WireRecord.Direction, _ bytes: [UInt8]) { wire.record(direction, bytes, at: now) }

    /// The peer left our output unread past the write's deadline; the transport has dropped the connection.
    func peerStoppedReading(_ count: Int) {
        grade.stop(
            .failed, "the \(role.peer) stopped reading: \(count) bytes could not be sent by the case's deadline; the \(role) dropped the connection")
        endpoint.abandon()
        weClosedTransport = true
    }

    func closeOurSide() async {
        guard !weClosedTransport else { return }
        weClosedTransport = true
        endpoint.transportClosedByUs()
        await transport.close()
    }
}
