public import ReferenceServer
public import Scenario

extension InProcessSuite {
    /// The reference echo server, with the run parameters that describe it.
    public static func referenceServer(_ configuration: EchoServerConfiguration = EchoServerConfiguration()) -> InProcessSuite {
        InProcessSuite(parameters: RunParameters(describing: configuration)) { EchoServer(configuration: configuration) }
    }
}

extension RunParameters {
    /// What a run must know about the reference echo server with `configuration`: its subprotocol and
    /// keepalive timings. An idle period of three ping intervals keeps 11.5.1 short when the server pings.
    public init(describing configuration: EchoServerConfiguration) {
        self.init()
        subprotocol = configuration.subprotocols.first
        serverPingInterval = configuration.pingInterval
        serverPongTimeout = configuration.pongTimeout
        serverCloseTimeout = configuration.closeTimeout
        if let interval = configuration.pingInterval { idlePeriod = min(idlePeriod, interval * 3) }
    }
}
