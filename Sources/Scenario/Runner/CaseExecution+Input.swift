import Transport
import WebSocketCore

/// What the peer sends: read until a deadline, decoded, logged within the case's budgets, and noted for the
/// run's cross-talk record.
extension CaseExecution {
    /// Whether the peer has sent more than a case may hold in memory; if so the case FAILS and the
    /// connection is dropped.
    func overReceiveBudget() async -> Bool {
        guard let what = budget.overrun(observations: log.count) else { return false }
        grade.stop(.failed, "the \(role.peer) sent \(what) in one case; the \(role) dropped the connection")
        endpoint.abandon()
        weClosedTransport = true
        await transport.abort()
        return true
    }

    /// Takes in everything that arrives until `deadline` (or the end of the connection).
    func pump(until deadline: Duration) async {
        while !endpoint.ended && now < deadline {
            await pumpOnce(until: deadline)
        }
    }

    func pumpOnce(until deadline: Duration) async {
        await flush()
        let input = await transport.read(until: deadline)
        await take(input)
    }

    func take(_ input: TransportInput) async {
        switch input {
        case .bytes(let bytes):
            logWire(.received, bytes)
            budget.received(wireBytes: bytes.count)
            guard opened, !(await overReceiveBudget()) else { return }
            await takeDecoded(bytes)
        case .endOfStream:
            record(endpoint.transportEnded(reset: false))
        case .reset:
            record(endpoint.transportEnded(reset: true))
        case .timedOut:
            break
        }
    }

    /// Hands received bytes to the client and acts on what they meant (answers, failing the connection).
    func takeDecoded(_ bytes: [UInt8] = []) async {
        let output = endpoint.receive(bytes)
        record(output.events)
        if await overReceiveBudget() { return }
        if !output.reply.isEmpty && !weClosedTransport { await reply(output.reply) }
        if output.closeTransport { await closeOurSide() }
    }

    func record(_ events: [ObservedEvent]) {
        let time = now
        for event in events {
            budget.decoded(event)
            guard case .message(let opcode, let payload) = event else {
                log.append(Observation(time: time, event: event))
                continue
            }
            crossTalk.noteReceived(payload)
            if echoes != nil {
                echoes?.append((opcode, payload))
            } else if budget.logsWhole(payload.count) {
                log.append(Observation(time: time, event: event))
            } else {
                // Past the budget a message is logged by its start and length: it can still be seen and reported,
                // not matched byte for byte (a flood by then, or a case that expects megabytes outside round trips).
                log.append(Observation(time: time, event: event.shortened))
            }
        }
    }
}
