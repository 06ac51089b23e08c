import WebSocketCore

/// Which end of the connection the script plays. As the client it tests a server (the catalog's first use);
/// as the server it tests a client, which echoes what it receives, as in Autobahn|Testsuite's fuzzingserver.
public enum ScriptRole: String, Sendable, Hashable, Codable, CaseIterable {
    case client, server

    /// The role of the endpoint under test.
    public var peer: ScriptRole { self == .client ? .server : .client }

    var connectionRole: Role { self == .client ? .client : .server }

    var side: ClosingRecord.Side { self == .client ? .client : .server }
}
