// An echo server on Hummingbird 2, the way its own Autobahn snippet writes one: permessage-deflate on, frames and
// messages up to 16 MiB. Listens on 127.0.0.1 at the port given (0: any) and prints the port as its first line.
//   hummingbird-echo PORT
// Built with the trait `Hummingbird` (scripts/peers.sh builds it so); without it, it says so and exits.
#if Hummingbird
    import Foundation
    import Hummingbird
    import HummingbirdWSCompression
    import HummingbirdWebSocket
    import Logging

    let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 0
    var logger = Logger(label: "hummingbird-echo")
    logger.logLevel = .critical

    let app = Application(
        router: Router(),
        server: .http1WebSocketUpgrade(
            configuration: .init(ws: .init(maxFrameSize: 16 << 20, extensions: [.perMessageDeflate(maxDecompressedFrameSize: 16 << 20)]))
        ) { _, _, _ in
            .upgrade([:]) { inbound, outbound, _ in
                for try await message in inbound.messages(maxSize: .max) {
                    switch message {
                    case .binary(let buffer): try await outbound.write(.binary(buffer))
                    case .text(let string): try await outbound.write(.text(string))
                    }
                }
            }
        },
        configuration: .init(address: .hostname("127.0.0.1", port: port)),
        onServerRunning: { channel in
            // Unbuffered: scripts/peers.sh reads the port while the server runs.
            FileHandle.standardOutput.write(Data("\(channel.localAddress?.port ?? 0)\n".utf8))
        },
        logger: logger
    )
    try await app.runService()
#else
    import Foundation

    FileHandle.standardError.write(Data("hummingbird-echo: build with --traits Hummingbird\n".utf8))
    exit(2)
#endif
