public import NIOCore
public import Transport
public import WireSim

/// An application written on SwiftNIO's channel API as an in-process server: for each connection a fresh
/// `SimulatedChannel`, which `setUp` configures (on the driving thread, as a bootstrap's child-channel
/// initializer would) and `handle` then serves, in a task on the simulation's executor. Hummingbird's
/// `ServerChildChannel` has exactly this shape.
public struct ChannelServer<Value: Sendable>: InProcessServer {
    public let setUp: @Sendable (SimulatedChannel) -> EventLoopFuture<Value>
    public let handle: @Sendable (Value, SimulatedChannel) async -> Void

    public init(
        setUp: @escaping @Sendable (SimulatedChannel) -> EventLoopFuture<Value>,
        handle: @escaping @Sendable (Value, SimulatedChannel) async -> Void
    ) {
        self.setUp = setUp
        self.handle = handle
    }

    public func attach(to link: SimulatedLink) -> any SimulatedServerEndpoint {
        let simulation = link.simulation
        let channel = SimulatedChannel(link: link, eventLoop: SimulationEventLoop(simulation: simulation))
        let endpoint = ChannelEndpoint(channel: channel)
        let (setUp, handle) = (setUp, handle)
        simulation.schedule(after: .zero) {
            endpoint.task = simulation.spawn {
                guard let value = try? await setUp(channel).get() else {
                    return channel.close(promise: nil)
                }
                channel.activate()
                await handle(value, channel)
            }
        }
        return endpoint
    }
}

/// One connection of a `ChannelServer`: the channel and the task that serves it.
final class ChannelEndpoint: SimulatedServerEndpoint, @unchecked Sendable {
    // Unchecked: touched on the driving thread only.
    let channel: SimulatedChannel
    var task: Task<Void, any Error>?

    init(channel: SimulatedChannel) { self.channel = channel }

    func shutDown() {
        channel.shutDown()
        task?.cancel()
    }
}
