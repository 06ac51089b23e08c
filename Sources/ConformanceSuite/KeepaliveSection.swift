import Scenario
import WebSocketCore

/// 11.x (our own): keepalive and timeouts. Pings are answered promptly; a server with a ping interval
/// pings, closes when the pongs stop, and drops a peer that never answers its close; idle connections
/// that answer pings stay open. The server's interval and timeouts are inputs of the run.
///
/// RFC 6455 requires the pong (§5.5.2 MUST) and asks for it "as soon as is practical" (SHOULD); it lets an
/// endpoint ping (MAY) and says nothing of pong timeouts or idle connections. So a late pong is NON-STRICT
/// and what a server does with its own keepalive is recorded (INFORMATIONAL), never failed.
enum KeepaliveSection {
    static let rfc = [Payloads.rfc("5.5.2"), Payloads.rfc("7.1.1")]

    /// A pong within 1 s is OK, a later one NON-STRICT (§5.5.2: "as soon as is practical"), none FAILED.
    static func promptPong(_ payload: [UInt8]) -> Step {
        OneOf {
            Alternative(.ok, "answers within 1 s") { Expect.pong(payload, within: .seconds(1)) }
            Alternative(.nonStrict, "answers late") { Expect.pong(payload, within: .seconds(10)) }
        }
    }

    static var cases: [ScenarioCase] {
        [
            ScenarioCase(
                "11.1.1", "A ping is answered within 1 s", sends: "A ping with payload \"keepalive\".",
                expectation: "A pong with the same payload within 1 s (OK) or 10 s (NON-STRICT).", rfc: rfc,
                checks: [.ping, .keepalive]
            ) {
                Send.ping(Array("keepalive".utf8))
                promptPong(Array("keepalive".utf8))
            },
            // The pong itself is 5.6's and 5.19's MUST; answering before the message ends is the SHOULD.
            ScenarioCase(
                "11.1.2", "A ping inside a fragmented message is answered before the message ends",
                sends: "A text frame without FIN, a ping, and (1 s later) the last fragment.",
                expectation: "The pong comes within 1 s, without waiting for the message to finish.",
                rfc: rfc + [Payloads.rfc("5.4")], requirement: .should, checks: [.ping, .keepalive]
            ) {
                Send.frame(fin: false, opcode: .text, payload: Array("part one, ".utf8))
                Send.ping(Array("interleaved".utf8))
                Expect.pong(Array("interleaved".utf8), within: .seconds(1))
                Wait.for(.seconds(1))
                Send.frame(opcode: .continuation, payload: Array("part two".utf8))
                Expect.text("part one, part two")
            },
            ScenarioCase(
                "11.1.3", "Ten pings, 100 ms apart, each answered within 1 s",
                sends: "Ten pings 100 ms apart.", expectation: "Each pong within 1 s of its ping (OK) or 10 s (NON-STRICT).",
                rfc: rfc, checks: [.ping, .keepalive]
            ) {
                for index in 0..<10 {
                    Send.ping(Array("tick \(index)".utf8))
                    promptPong(Array("tick \(index)".utf8))
                    Wait.for(.milliseconds(100))
                }
            },
            ScenarioCase(
                "11.2.1", "The server pings at its configured interval",
                sends: "Nothing; the client answers pings.",
                expectation: "A ping from the server within its ping interval (plus slack).",
                rfc: rfc, requirement: .may, checks: [.keepalive, .serverPing], deadline: .seconds(600)
            ) {
                Step.depending(needs: "the server's ping interval (--server-ping-interval)") { run in
                    guard let interval = run.serverPingInterval else { return nil }
                    return [.expect(.ping(within: interval + run.slack))]
                }
            },
            ScenarioCase(
                "11.2.2", "The server keeps pinging while the client answers",
                sends: "Nothing; the client answers pings.",
                expectation: "Three pings, each within the interval (plus slack) of the previous one; no close.",
                rfc: rfc, requirement: .may, checks: [.keepalive, .serverPing], deadline: .seconds(600)
            ) {
                Step.depending(needs: "the server's ping interval (--server-ping-interval)") { run in
                    guard let interval = run.serverPingInterval else { return nil }
                    return Array(repeating: Step.expect(.ping(within: interval + run.slack)), count: 3)
                }
            },
            ScenarioCase(
                "11.3.1", "The server closes when pongs stop",
                sends: "Nothing; the client stops answering pings.",
                expectation: "The server closes (with a close frame, or by dropping TCP: §7.1.7 lets it) within its ping "
                    + "interval plus its pong timeout (plus slack).",
                rfc: rfc + [Payloads.rfc("7.1.7")], requirement: .may, checks: [.keepalive, .pongTimeout],
                closing: .informational, deadline: .seconds(600)
            ) {
                Step.depending(needs: "the server's ping interval and pong timeout") { run in
                    guard let interval = run.serverPingInterval, let timeout = run.serverPongTimeout else { return nil }
                    let within = interval + timeout + run.slack
                    return [
                        .answerPings(false),
                        .oneOf([
                            Alternative(.ok, "closes", expectations: [.close(codes: nil, within: within)]),
                            Alternative(.ok, "drops the connection", expectations: [.disconnect(within: within)])
                        ])
                    ]
                }
            },
            ScenarioCase(
                "11.4.1", "The server drops a peer that never answers its close",
                sends: "Nothing; the client answers neither pings nor the server's close frame.",
                expectation: "After its close frame, the server closes TCP within its close timeout (plus slack).",
                rfc: rfc, requirement: .may, checks: [.keepalive, .closeTimeout],
                closing: .informational, deadline: .seconds(600)
            ) {
                Step.depending(needs: "the server's ping interval, pong timeout and close timeout") { run in
                    guard let interval = run.serverPingInterval, let timeout = run.serverPongTimeout,
                        let closeTimeout = run.serverCloseTimeout
                    else { return nil }
                    return [
                        .answerPings(false), .answerClose(false),
                        .oneOf([
                            Alternative(
                                .ok, "closes, then drops the silent peer",
                                expectations: [
                                    .close(codes: nil, within: interval + timeout + run.slack),
                                    .disconnect(within: closeTimeout + run.slack)
                                ]),
                            Alternative(
                                .ok, "drops the connection without a close frame",
                                expectations: [
                                    .disconnect(within: interval + timeout + run.slack)
                                ])
                        ])
                    ]
                }
            },
            // No RFC keeps idle connections open: how long a server waits is recorded.
            ScenarioCase(
                "11.5.1", "An idle connection that answers pings stays open for the idle period",
                sends: "Nothing for the run's idle period (5 s unless --idle-period says otherwise); the client answers pings.",
                expectation: "The server keeps the connection open: no message, no close.",
                rfc: rfc, requirement: .may, checks: [.keepalive, .idle, .ping],
                closing: .clientCloses(answers: [1000, 1001]), deadline: .seconds(660)
            ) {
                Step.depending(needs: "an idle period") { run in
                    let probe = Array("still there?".utf8)
                    return [
                        .expect(.nothing(for: run.idlePeriod)), .send(FrameSpec(opcode: .ping, payload: probe)),
                        .expect(Expect.pong(probe))
                    ]
                }
            }
        ]
    }
}
