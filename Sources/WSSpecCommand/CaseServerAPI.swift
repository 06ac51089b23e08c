import ConformanceReport
import Foundation
import Scenario
import Transport
import WebSocketCore
import WebSocketNIO

/// Autobahn|Testsuite's fuzzingserver URL API, over the client-role cases, so that the driver loops client
/// libraries already have run against wsspec unchanged. Every endpoint is a WebSocket connection:
/// - `/getCaseCount`: the number of cases, as one text message, then a close;
/// - `/getCaseInfo?case=N`: `{"id": "1.1.1", "description": "..."}`;
/// - `/getCaseStatus?case=N&agent=A`: `{"behavior": "OK"}` (or the verdict the agent got, or `UNKNOWN`);
/// - `/runCase?case=N&agent=A` or `/runCase?casetuple=1.1.1&agent=A`: the case itself, on that connection (the
///   client echoes what it receives);
/// - `/updateReports?agent=A`: writes the reports, then a close.
/// `case=N` counts from 1 in the selected cases (after `--cases`/`--exclude`), as Autobahn's does;
/// `casetuple` names a case by its id, which does not move when the selection changes.
/// `/runCase/1.1.1/AGENT` is the same case in a form with no shell metacharacters.
final class CaseServerAPI: Sendable {
    /// Who may run cases, and which URLs answer.
    enum Access: Sendable, Hashable {
        /// `serve-suite`: Autobahn's URL API, for any agent.
        case anyAgent
        /// `run-client --exec`: only `/runCase/ID/AGENT/TOKEN` for the one agent under test, with the run's random
        /// token, so that no other connection (a stray client, another program on the machine) can add results.
        case runClient(agent: String, token: String)
    }

    let cases: [ScenarioCase]
    let parameters: RunParameters
    let access: Access
    let origins: OriginPolicy
    let results: CaseServerResults
    /// Room for each case's largest messages, from the limits' message budget.
    let admission: CaseAdmission
    /// Called with the agent that asked for `/updateReports`, once its reports are written.
    let reportsUpdated: @Sendable (String) async -> Void
    private let reports: ReportUpdater

    /// Agent names longer than this (in UTF-8 bytes) are refused: a name is a report column and part of file names.
    static let maxAgentName = 100

    /// - Parameter writeReports: writes the runs' reports: the index files, the case files of the agents whose results
    ///   changed since the last call, and removes those of agents that were replaced.
    init(
        cases: [ScenarioCase], parameters: RunParameters, access: Access = .anyAgent, origins: OriginPolicy = OriginPolicy(),
        limits: ConnectionLimits = .caseServer,
        writeReports: @escaping @Sendable (ReportChanges) throws -> Void,
        reportsUpdated: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        self.cases = cases
        self.parameters = parameters
        self.access = access
        self.origins = origins
        let results = CaseServerResults(maxAgents: limits.maxAgents)
        self.results = results
        admission = CaseAdmission(budget: MessageMemoryBudget(limit: limits.maxMessageMemory))
        reports = ReportUpdater(snapshot: { await results.snapshot(completing: cases) }, write: writeReports)
        self.reportsUpdated = reportsUpdated
    }

    /// Serves one connection: reads the request head (16 KiB and the handshake timeout at most), then the endpoint.
    func serve(_ transport: any ByteTransport) async {
        var parser = HTTPHeadParser(maxHeadSize: 16 * 1024)
        var read: [UInt8] = []
        let deadline = transport.elapsed + parameters.handshakeTimeout
        var head: [UInt8]?
        while head == nil {
            guard case .bytes(let bytes) = await transport.read(until: deadline) else { return }
            read += bytes
            do {
                head = try parser.append(bytes)?.head
            } catch {
                return await refuse(transport, read, status: 431, reason: "request head too large")
            }
        }
        guard let head, let request = try? HTTPHeadParser.parseRequest(head) else {
            return await refuse(transport, read, status: 400, reason: "not an HTTP request")
        }
        guard origins.allows(request.headers["Origin"]) else {
            return await refuse(transport, read, status: 403, reason: "this Origin may not use the suite (--allow-origin)")
        }
        var (path, query) = Self.split(request.target)
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch access {
        case .anyAgent:
            if segments.count == 4, segments[1] == "runCase" {
                (path, query) = ("/runCase", ["casetuple": segments[2], "agent": segments[3]])
            }
        case .runClient(let agent, let token):
            guard segments.count == 5, segments[1] == "runCase", segments[3] == agent, segments[4] == token else {
                return await refuse(transport, read, status: 404, reason: "no such endpoint")
            }
            (path, query) = ("/runCase", ["casetuple": segments[2], "agent": agent])
        }
        switch path {
        case "/getCaseCount":
            await answer(transport, read, text: "\(cases.count)")
        case "/getCaseInfo":
            guard let scenario = scenario(query) else { return await refuse(transport, read, status: 404, reason: "no such case") }
            await answer(transport, read, text: Self.json(["id": scenario.id.description, "description": scenario.title]))
        case "/getCaseStatus":
            guard let scenario = scenario(query) else { return await refuse(transport, read, status: 404, reason: "no such case") }
            let result = await results.result(agent: query["agent"] ?? "", id: scenario.id)
            await answer(transport, read, text: Self.json(["behavior": result.map { "\($0.verdict)" } ?? "UNKNOWN"]))
        case "/runCase":
            guard let scenario = scenario(query) else { return await refuse(transport, read, status: 404, reason: "no such case") }
            let agent = query["agent"] ?? "client"
            guard !agent.isEmpty, agent.utf8.count <= Self.maxAgentName else {
                return await refuse(transport, read, status: 400, reason: "an agent name is 1 to \(Self.maxAgentName) bytes")
            }
            // The case's largest messages need room in the budget; a case that gets none by the handshake deadline
            // is refused, and its client may ask again.
            let room = CaseAdmission.room(for: scenario, parameters)
            guard await admission.admit(room, within: max(.zero, deadline - transport.elapsed)) else {
                return await refuse(transport, read, status: 503, reason: "busy: too many large cases at once")
            }
            guard await results.began(agent: agent, id: scenario.id) else {
                await admission.release(room)
                return await refuse(transport, read, status: 503, reason: "busy: every agent is running a case")
            }
            var result = await ScenarioRunner.run(
                scenario, on: ReplayingTransport(transport, replaying: read), parameters: parameters,
                seed: scenario.id.stableHash, role: .server)
            await admission.release(room)
            result.seed = scenario.id.stableHash
            await results.finish(result, agent: agent)
        case "/updateReports":
            let agent = query["agent"] ?? ""
            // A driver may ask right after its last case's closing handshake, before that case is graded here.
            await results.waitWhileRunning(agent: agent, within: parameters.closeTimeout * 3 + .seconds(5))
            await reports.update()
            await answer(transport, read, text: nil)
            // An agent that ran no case is no agent: it neither counts towards --exit-after-agents nor gets a column.
            if await results.hasResults(agent: agent) { await reportsUpdated(agent) }
        default:
            await refuse(transport, read, status: 404, reason: "no such endpoint: \(path)")
        }
    }

    /// The case a query names, by `casetuple` (an id) or `case` (1-based position).
    func scenario(_ query: [String: String]) -> ScenarioCase? {
        if let tuple = query["casetuple"] { return cases.first { $0.id.description == tuple } }
        guard let text = query["case"], let number = Int(text), number >= 1, number <= cases.count else { return nil }
        return cases[number - 1]
    }

    /// The path and the decoded query items of a request target.
    static func split(_ target: String) -> (path: String, query: [String: String]) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [String: String] = [:]
        for item in parts.dropFirst().first?.split(separator: "&") ?? [] {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]).removingPercentEncoding ?? String(pair[0])
            let value = pair.count > 1 ? (String(pair[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(pair[1])) : ""
            query[name] = value
        }
        return (String(parts[0]), query)
    }

    static func json(_ object: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Upgrades, sends `text` (when there is one), closes normally and waits (the close timeout at most) for the
    /// client's close.
    private func answer(_ transport: any ByteTransport, _ read: [UInt8], text: String?) async {
        let outcome = await ServerOpening.accept(
            over: ReplayingTransport(transport, replaying: read),
            deadline: transport.elapsed + parameters.handshakeTimeout
        ) { request in
            ServerHandshake(subprotocols: [], permessageDeflate: nil).respond(to: request)
        }
        switch outcome {
        case .ended, .timedOut:
            return
        case .refused(let response, _):
            await transport.write(response)
            await transport.close()
        case .upgraded(let response, let connection, _, _):
            await transport.write(response)
            if let text { try? connection.send(text: text) }
            _ = try? connection.close(code: .normalClosure, reason: "")
            await transport.write(connection.takeOutbound())
            let deadline = transport.elapsed + parameters.closeTimeout
            while connection.state != .closing && connection.state != .closed {
                guard case .bytes(let bytes) = await transport.read(until: deadline) else { break }
                _ = connection.receive(bytes)
                if connection.hasOutbound { await transport.write(connection.takeOutbound()) }
            }
            await transport.close()
        }
    }

    private func refuse(_ transport: any ByteTransport, _ read: [UInt8], status: Int, reason: String) async {
        await transport.write(ServerHandshake.refusal(status: status, reason: reason).bytes)
        await transport.close()
    }
}
