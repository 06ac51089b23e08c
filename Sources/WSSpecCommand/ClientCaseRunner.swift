import Foundation
import Scenario

/// One case of `run-client --exec`: starts the client command with the case's URL, gives it until its deadline,
/// and returns the case's result as the server side (`CaseServerAPI`) graded it, or FAILED when the client never
/// connected.
struct ClientCaseRunner: Sendable {
    struct Outcome: Sendable {
        var result: CaseResult
        /// Whether the client opened the case's URL at all.
        var connected: Bool
        var url: String
        /// How the process ended, in words: `exit status 0`, `stopped at its 30 s deadline`.
        var ending: String
        var log: URL
    }

    let command: String
    let agent: String
    /// The run's random path segment: only URLs that carry it reach a case (`CaseServerAPI.Access.runClient`).
    let token: String
    let port: Int
    let logs: URL
    let parameters: RunParameters
    /// The most a client process may run; by default its case's deadline plus the closing handshake's and 10 s.
    let processTimeout: Duration?
    let results: CaseServerResults

    func url(for scenario: ScenarioCase) -> String { "ws://127.0.0.1:\(port)/runCase/\(scenario.id)/\(agent)/\(token)" }

    func run(_ scenario: ScenarioCase) async -> Outcome {
        let url = url(for: scenario)
        let log = logs.appendingPathComponent("\(scenario.id).log")
        let child: ChildProcess
        do {
            child = try ChildProcess(
                command: command.replacingOccurrences(of: "{url}", with: url),
                environment: ["WSSPEC_URL": url, "WSSPEC_CASE": scenario.id.description], log: log)
        } catch {
            return await notRun(scenario, url: url, log: log, ending: "it could not be started: \(error)")
        }
        let limit = processTimeout ?? scenario.deadline + parameters.closeTimeout * 3 + parameters.handshakeTimeout + .seconds(10)
        let exitedInTime = await child.waitForExit(until: .now + limit)
        if exitedInTime {
            // The shell has exited; the case may still be closing on the server's side, within its own deadlines.
            await results.waitWhileRunning(agent: agent, id: scenario.id, within: parameters.closeTimeout * 3 + .seconds(5))
        }
        // Whatever is left of the client's process group (background processes, a shell past its deadline) ends now.
        let status = await child.finish()
        let ending = exitedInTime ? "exit status \(status)" : "stopped at its \(limit.secondsText) s deadline"
        if !exitedInTime {
            await results.waitWhileRunning(agent: agent, id: scenario.id, within: parameters.closeTimeout * 3 + .seconds(5))
        }
        if let result = await results.result(agent: agent, id: scenario.id) {
            return Outcome(result: result, connected: true, url: url, ending: ending, log: log)
        }
        return await notRun(scenario, url: url, log: log, ending: ending)
    }

    private func notRun(_ scenario: ScenarioCase, url: String, log: URL, ending: String) async -> Outcome {
        let connected = await results.hasBegun(agent: agent, id: scenario.id)
        let reason =
            connected
            ? "the case had not ended when the client did (\(ending))"
            : "the client never opened the case's URL (\(ending); its output: client-logs/\(scenario.id).log)"
        let result = CaseResult.notRun(scenario, reason: reason, seed: nil)
        await results.record(result, agent: agent)
        return Outcome(result: result, connected: connected, url: url, ending: ending, log: log)
    }
}
