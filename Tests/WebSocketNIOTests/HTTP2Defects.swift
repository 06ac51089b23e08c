import HTTP2Section
import NIOConcurrencyHelpers
import NIOCore
import NIOHPACK
import NIOHTTP2
import Scenario
import WebSocketNIO

/// Defective HTTP/2 servers of ours: the reference server with one rule of section 14 broken on purpose
/// (`HTTP2ServerPlant`), at the level where real servers break it (their bytes, their frames, their header lists).
/// Each lists the cases it must fail; together they fail every case of the section.
enum HTTP2Defect: String, CaseIterable, Sendable {
    case omitsConnectSetting, withdrawsConnectSetting, neverEndsStreams, resetsInsteadOfEnding, sendsNoWindowUpdates
    case ignoresClientWindow, dropsConnectionOnStreamReset, acceptsMalformedRequests, leaksUpgradeFields, resetsRefusals
    case abortsOnClientEnd, acceptsUnmaskedFrames, masksServerFrames, dropsOneOctetDataFrames, hidesCompression
    case answersOneStreamOnly

    /// The cases that must fail against it (under `--strict`: a SHOULD's NON-STRICT counts).
    var fails: Set<CaseID> {
        switch self {
        case .omitsConnectSetting: ["14.1.1", "14.1.2"]
        case .withdrawsConnectSetting: ["14.1.2"]
        case .neverEndsStreams: ["14.4.1", "14.4.2", "14.4.3", "14.6.4", "14.7.1"]
        case .resetsInsteadOfEnding: ["14.4.2"]
        case .sendsNoWindowUpdates: ["14.6.3"]
        case .ignoresClientWindow: ["14.6.2"]
        case .dropsConnectionOnStreamReset: ["14.4.4"]
        case .acceptsMalformedRequests:
            [
                "14.2.1", "14.2.2", "14.2.3", "14.2.4", "14.2.5", "14.2.6", "14.2.7", "14.2.8", "14.2.9", "14.2.10", "14.2.11",
                "14.2.12", "14.7.1"
            ]
        case .leaksUpgradeFields: ["14.3.1", "14.3.2"]
        case .resetsRefusals: ["14.2.11", "14.7.1"]
        case .abortsOnClientEnd: ["14.4.3"]
        case .acceptsUnmaskedFrames: ["14.5.1"]
        case .masksServerFrames: ["14.5.2"]
        case .dropsOneOctetDataFrames: ["14.5.3"]
        case .hidesCompression: ["14.5.4"]
        case .answersOneStreamOnly: ["14.6.1", "14.6.4"]
        }
    }

    var plant: HTTP2ServerPlant {
        var plant = HTTP2ServerPlant()
        switch self {
        case .omitsConnectSetting:
            plant.connection = Self.raw { frame in
                guard frame.kind == .settings, !frame.has(HTTP2RawFrame.ack), let parameters = frame.settingsParameters else { return [frame] }
                return [.settings(parameters.filter { $0.id != HTTP2SettingID.enableConnectProtocol }.map { ($0.id, $0.value) })]
            }
        case .withdrawsConnectSetting:
            // After the first response, SETTINGS withdraws the setting; the client's ACK of it is kept from swift-nio-http2,
            // which sent no such SETTINGS.
            plant.connection = { channel in
                let state = NIOLockedValueBox((withdrawn: false, ackToDrop: false))
                try channel.pipeline.syncOperations.addHandler(
                    RawFrameRewriter(
                        outbound: { frame in
                            guard frame.kind == .headers, !state.withLockedValue({ $0.withdrawn }) else { return [frame] }
                            state.withLockedValue { $0 = (true, true) }
                            return [frame, .settings([(HTTP2SettingID.enableConnectProtocol, UInt32(0))])]
                        },
                        inbound: { frame, _ in
                            guard frame.kind == .settings, frame.has(HTTP2RawFrame.ack), state.withLockedValue({ $0.ackToDrop }) else {
                                return [frame]
                            }
                            state.withLockedValue { $0.ackToDrop = false }
                            return []
                        }))
            }
        case .neverEndsStreams:
            // Neither END_STREAM nor RST_STREAM leaves: every stream stays open on the client's side.
            plant.connection = Self.raw { frame in
                var frame = frame
                if frame.kind == .rstStream { return [] }
                if frame.stream != 0, frame.kind == .data || frame.kind == .headers { frame.flags &= ~HTTP2RawFrame.endStream }
                return [frame]
            }
        case .resetsInsteadOfEnding:
            plant.connection = Self.raw { frame in
                guard frame.stream != 0, frame.kind == .data || frame.kind == .headers, frame.has(HTTP2RawFrame.endStream) else { return [frame] }
                var cut = frame
                cut.flags &= ~HTTP2RawFrame.endStream
                return [cut, .rstStream(frame.stream, code: HTTP2ErrorCodeName.cancel)]
            }
        case .sendsNoWindowUpdates:
            plant.connection = Self.raw { $0.kind == .windowUpdate ? [] : [$0] }
        case .ignoresClientWindow:
            // swift-nio-http2 is told the client's stream window is vast, so it sends past the real one.
            plant.connection = { channel in
                try channel.pipeline.syncOperations.addHandler(
                    RawFrameRewriter(outbound: { [$0] }) { frame, _ in
                        guard frame.kind == .settings, !frame.has(HTTP2RawFrame.ack), let parameters = frame.settingsParameters else {
                            return [frame]
                        }
                        return [.settings(parameters.map { ($0.id, $0.id == HTTP2SettingID.initialWindowSize ? UInt32(1 << 30) : $0.value) })]
                    })
            }
        case .dropsConnectionOnStreamReset:
            plant.connection = { channel in
                try channel.pipeline.syncOperations.addHandler(
                    RawFrameRewriter(outbound: { [$0] }) { frame, context in
                        if frame.kind == .rstStream { context.close(promise: nil) }
                        return [frame]
                    })
            }
        case .acceptsMalformedRequests:
            plant.validatesHeaders = false
            plant.stream = Self.stream(inbound: { payload, state in
                guard case .headers(var headers) = payload, !state.requestSeen else { return payload }
                state.requestSeen = true
                headers.headers = Self.repaired(headers.headers)
                return .headers(headers)
            })
        case .leaksUpgradeFields:
            plant.validatesHeaders = false
            plant.stream = Self.stream(outbound: { payload, _ in
                guard case .headers(var headers) = payload, headers.headers.first(name: ":status")?.hasPrefix("2") == true else { return payload }
                headers.headers.add(contentsOf: [
                    ("upgrade", "websocket"), ("connection", "upgrade"), ("sec-websocket-accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
                ])
                return .headers(headers)
            })
        case .resetsRefusals:
            plant.stream = Self.stream(outbound: { payload, state in
                if state.reset { return nil }
                guard case .headers(let headers) = payload, let status = headers.headers.first(name: ":status"), !status.hasPrefix("2")
                else { return payload }
                state.reset = true
                return .rstStream(.refusedStream)
            })
        case .abortsOnClientEnd:
            plant.stream = Self.stream(inbound: { payload, state in
                switch payload {
                case .headers(let headers) where !state.requestSeen:
                    state.requestSeen = true
                    return headers.endStream ? nil : payload
                case .data(let data) where data.endStream:
                    state.abort = true
                    return nil
                default:
                    return payload
                }
            })
        case .acceptsUnmaskedFrames:
            plant.stream = Self.stream(inbound: { payload, state in state.frames.rewrite(payload, WebSocketFrameWalker.setMaskBit) })
        case .masksServerFrames:
            plant.stream = Self.stream(outbound: { payload, state in state.frames.rewrite(payload, WebSocketFrameWalker.setMaskBit) })
        case .hidesCompression:
            // The server compresses, but its frames do not say so (RSV1 clear): the client reads deflate's output as text.
            plant.stream = Self.stream(outbound: { payload, state in state.frames.rewrite(payload) { $0[0] &= ~0x40 } })
        case .dropsOneOctetDataFrames:
            plant.stream = Self.stream(inbound: { payload, _ in
                if case .data(let data) = payload, data.data.readableBytes == 1, !data.endStream { return nil }
                return payload
            })
        case .answersOneStreamOnly:
            // Each connection is kept with its count, so that its identifier is not reused by a later one.
            let streams = NIOLockedValueBox([ObjectIdentifier: (connection: any Channel, count: Int)]())
            plant.stream = { stream in
                let connection = stream.parent ?? stream
                let count = streams.withLockedValue { counts in
                    counts[ObjectIdentifier(connection), default: (connection, 0)].count += 1
                    return counts[ObjectIdentifier(connection)]!.count
                }
                guard count > 1 else { return }
                try stream.pipeline.syncOperations.addHandler(StreamRewriter(inbound: { _, _ in nil }, outbound: { payload, _ in payload }))
            }
        }
        return plant
    }

    /// A valid extended CONNECT made of whatever came: what a server that reads requests leniently acts on.
    static func repaired(_ headers: HPACKHeaders) -> HPACKHeaders {
        var fields: [(String, String)] = [
            (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", headers.first(name: ":path") ?? "/"),
            (":authority", headers.first(name: ":authority") ?? "127.0.0.1")
        ]
        let dropped: Set<String> = ["connection", "upgrade", "keep-alive", "proxy-connection", "transfer-encoding", "sec-websocket-version"]
        for (name, value, _) in headers where !name.hasPrefix(":") && !dropped.contains(name.lowercased()) {
            fields.append((name.lowercased(), value))
        }
        fields.append(("sec-websocket-version", "13"))
        return HPACKHeaders(fields)
    }

    static func raw(_ outbound: @escaping @Sendable (HTTP2RawFrame) -> [HTTP2RawFrame]) -> @Sendable (any Channel) throws -> Void {
        { channel in try channel.pipeline.syncOperations.addHandler(RawFrameRewriter(outbound: outbound)) }
    }

    typealias PayloadRewrite = @Sendable (HTTP2Frame.FramePayload, StreamRewriter.State) -> HTTP2Frame.FramePayload?

    static func stream(inbound: @escaping PayloadRewrite = { payload, _ in payload }, outbound: @escaping PayloadRewrite = { payload, _ in payload })
        -> @Sendable (any Channel) throws -> Void
    {
        { stream in try stream.pipeline.syncOperations.addHandler(StreamRewriter(inbound: inbound, outbound: outbound)) }
    }
}

/// Rewrites a connection's HTTP/2 frames as bytes, both ways (the client's preface passes as it is).
final class RawFrameRewriter: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private var inboundFrames = HTTP2FrameReader(maxFrameSize: 1 << 24)
    private var outboundFrames = HTTP2FrameReader(maxFrameSize: 1 << 24)
    private var prefaceLeft = 24
    private let outbound: @Sendable (HTTP2RawFrame) -> [HTTP2RawFrame]
    private let inbound: @Sendable (HTTP2RawFrame, ChannelHandlerContext) -> [HTTP2RawFrame]

    init(
        outbound: @escaping @Sendable (HTTP2RawFrame) -> [HTTP2RawFrame],
        inbound: @escaping @Sendable (HTTP2RawFrame, ChannelHandlerContext) -> [HTTP2RawFrame] = { frame, _ in [frame] }
    ) {
        self.outbound = outbound
        self.inbound = inbound
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Array(unwrapInboundIn(data).readableBytesView)
        if prefaceLeft > 0 {
            let preface = Array(bytes.prefix(prefaceLeft))
            prefaceLeft -= preface.count
            bytes.removeFirst(preface.count)
            context.fireChannelRead(wrapInboundOut(ByteBuffer(bytes: preface)))
        }
        inboundFrames.append(bytes)
        var out: [UInt8] = []
        while let frame = try? inboundFrames.next() { out += inbound(frame, context).flatMap(\.bytes) }
        if !out.isEmpty { context.fireChannelRead(wrapInboundOut(ByteBuffer(bytes: out))) }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .byteBuffer(let buffer) = unwrapOutboundIn(data) else { return context.write(data, promise: promise) }
        outboundFrames.append(Array(buffer.readableBytesView))
        var out: [UInt8] = []
        while let frame = try? outboundFrames.next() { out += outbound(frame).flatMap(\.bytes) }
        guard !out.isEmpty else { return promise?.succeed() ?? () }
        context.write(wrapOutboundOut(.byteBuffer(ByteBuffer(bytes: out))), promise: promise)
    }
}

/// Rewrites (or drops: nil) one stream's frames both ways, with a little state of its own.
final class StreamRewriter: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = HTTP2Frame.FramePayload
    typealias OutboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    /// Touched on the stream's event loop only.
    final class State: @unchecked Sendable {
        var requestSeen = false
        var reset = false
        var abort = false
        var frames = WebSocketFrameWalker()
    }

    private let state = State()
    private let inbound: HTTP2Defect.PayloadRewrite
    private let outbound: HTTP2Defect.PayloadRewrite

    init(inbound: @escaping HTTP2Defect.PayloadRewrite, outbound: @escaping HTTP2Defect.PayloadRewrite) {
        self.inbound = inbound
        self.outbound = outbound
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let rewritten = inbound(unwrapInboundIn(data), state)
        if state.abort {
            state.abort = false
            context.writeAndFlush(wrapOutboundOut(.rstStream(.cancel)), promise: nil)
            return context.close(promise: nil)
        }
        if let rewritten { context.fireChannelRead(wrapInboundOut(rewritten)) }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard let rewritten = outbound(unwrapOutboundIn(data), state) else { return promise?.succeed() ?? () }
        context.write(wrapOutboundOut(rewritten), promise: promise)
    }
}

/// Walks the WebSocket frames of a stream's DATA and rewrites each frame's header as it passes, whatever DATA frame
/// it falls in; payloads pass unchanged.
struct WebSocketFrameWalker {
    private var header: [UInt8] = []
    private var payloadLeft: UInt64 = 0

    /// Sets the mask bit with an all-zero key (which changes no payload octet) on a frame that has none: a client's
    /// unmasked frames pass a server's check, a server's frames go out masked.
    static func setMaskBit(_ header: inout [UInt8]) {
        guard header[1] & 0x80 == 0 else { return }
        header[1] |= 0x80
        header += [0, 0, 0, 0]
    }

    mutating func rewrite(_ payload: HTTP2Frame.FramePayload, _ change: (inout [UInt8]) -> Void) -> HTTP2Frame.FramePayload {
        guard case .data(var data) = payload, case .byteBuffer(let buffer) = data.data else { return payload }
        data.data = .byteBuffer(ByteBuffer(bytes: rewrite(Array(buffer.readableBytesView), change)))
        return .data(data)
    }

    mutating func rewrite(_ bytes: [UInt8], _ change: (inout [UInt8]) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        for byte in bytes {
            if payloadLeft > 0 {
                out.append(byte)
                payloadLeft -= 1
                continue
            }
            header.append(byte)
            guard header.count >= 2 else { continue }
            let masked = header[1] & 0x80 != 0
            let short = UInt64(header[1] & 0x7F)
            let extended = short == 126 ? 2 : short == 127 ? 8 : 0
            guard header.count == 2 + extended + (masked ? 4 : 0) else { continue }
            payloadLeft = extended == 0 ? short : header[2..<(2 + extended)].reduce(0) { $0 << 8 | UInt64($1) }
            change(&header)
            out += header
            header = []
        }
        return out
    }
}
