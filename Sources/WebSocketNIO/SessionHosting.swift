public import Logging
public import NIOCore
public import WebSocketCore

extension Channel {
    /// Hosts a sans-IO server session on this channel, as `SessionServer` hosts one on each connection it accepts:
    /// the idle timer, the handshake deadline, back-pressure and the linger after a close. For a channel another
    /// server accepted (an HTTP framework handing over its WebSocket requests), on this channel's event loop.
    /// Bytes that reach the pipeline after this call are the session's, from the first byte of the request.
    public func addSessionHandlers(
        _ session: any ServerSession, limits: ConnectionLimits, messageMemory: MessageMemoryBudget, logger: Logger
    ) throws {
        eventLoop.preconditionInEventLoop()
        // What the session host's bootstrap sets on the channels it accepts (another server's channel has its own).
        _ = setOption(.writeBufferWaterMark, value: SessionChannelHandler.waterMark(limits))
        _ = setOption(.allowRemoteHalfClosure, value: true)
        try addSessionPipeline(session, limits: limits, messageMemory: messageMemory, logger: logger)
    }

    /// The session host's handlers alone, for a channel whose options are not a socket's: an HTTP/2 stream (whose
    /// channel traps on them) sets its water marks in the HTTP/2 configuration and half-closes through its bridge.
    /// - Parameter acceptedAt: when the connection was accepted, if another handler read it first: its handshake
    ///   deadline counts from then.
    func addSessionPipeline(
        _ session: any ServerSession, limits: ConnectionLimits, messageMemory: MessageMemoryBudget, logger: Logger,
        acceptedAt: NIODeadline? = nil
    ) throws {
        try pipeline.syncOperations.addHandler(SessionChannelHandler.idleTimer(limits))
        try pipeline.syncOperations.addHandler(
            SessionChannelHandler(
                session: session, limits: limits, messageMemory: messageMemory, logger: logger, acceptedAt: acceptedAt))
    }
}
