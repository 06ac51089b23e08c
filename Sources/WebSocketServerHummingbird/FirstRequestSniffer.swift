#if Hummingbird
    import NIOCore
    import WebSocketCore

    /// Reads a connection's first request head, and nothing past it, to tell where the connection goes; then
    /// leaves the pipeline and hands every byte it held, unchanged, to the handlers put after it. Each byte is
    /// looked at once (`HTTPHeadParser` resumes where it stopped), and a connection that sends no complete head
    /// within `timeout` is closed.
    final class FirstRequestSniffer: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer

        /// Called once, on the channel's loop, with the head (nil: the bytes are not a request head this parser
        /// reads, which the HTTP side then answers as it would); it sets up the handlers that take over.
        typealias Decide = (HTTPRequestHead?, ChannelHandlerContext) throws -> Void

        private var parser: HTTPHeadParser
        private let timeout: TimeAmount
        private let decide: Decide
        private let gone: () -> Void
        private var held: [ByteBuffer] = []
        private var decided = false
        private var deadline: Scheduled<Void>?

        /// - Parameter gone: the connection closed before a decision.
        init(maxHeadSize: Int, timeout: TimeAmount, decide: @escaping Decide, gone: @escaping () -> Void) {
            parser = HTTPHeadParser(maxHeadSize: maxHeadSize)
            self.timeout = timeout
            self.decide = decide
            self.gone = gone
        }

        func handlerAdded(context: ChannelHandlerContext) {
            if context.channel.isActive { armDeadline(context) }
        }

        func channelActive(context: ChannelHandlerContext) {
            armDeadline(context)
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            held.append(buffer)
            guard !decided, let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
            let head: HTTPRequestHead?
            do {
                guard let parsed = try parser.append(bytes) else { return }
                head = try? HTTPHeadParser.parseRequest(parsed.head)
            } catch {
                head = nil
            }
            decided = true
            deadline?.cancel()
            do {
                try decide(head, context)
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            } catch {
                context.close(promise: nil)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if !decided {
                decided = true
                deadline?.cancel()
                gone()
            }
            context.fireChannelInactive()
        }

        /// The bytes held go to whoever took over, as one read.
        func handlerRemoved(context: ChannelHandlerContext) {
            deadline?.cancel()
            guard !held.isEmpty else { return }
            for buffer in held { context.fireChannelRead(wrapInboundOut(buffer)) }
            held = []
            context.fireChannelReadComplete()
        }

        private func armDeadline(_ context: ChannelHandlerContext) {
            guard deadline == nil, !decided else { return }
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: timeout) { bound.value.close(promise: nil) }
        }
    }
#endif
