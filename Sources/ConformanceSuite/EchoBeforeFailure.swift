import Scenario

/// Pacing and grading for "a valid message, then a frame that breaks a rule": the case waits for the
/// message's echo before it sends the bad frame. Echoing is the test application's doing, not a rule of
/// RFC 6455: written back to back, the two frames race the server's handler, and a server that reads
/// both in one go may fail the connection before its handler has answered (the verdict would then change
/// from run to run). Waiting makes it deterministic: an echo is OK, none within the deadline NON-STRICT
/// (as Autobahn|Testsuite grades a missing echo), and the bad frame still follows either way.
enum EchoBeforeFailure {
    static func awaitEcho(_ text: String) -> Step {
        OneOf {
            Alternative(.ok, "echoes the message") { Expect.text(text) }
            Alternative(.nonStrict, "does not echo the message") { Expect.nothing(for: defaultExpectationDeadline) }
        }
    }
}
