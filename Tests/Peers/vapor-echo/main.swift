// An echo server on Vapor 4 with its defaults (websocket-kit; frames up to 16 KiB, no permessage-deflate), on
// the root path. Listens on 127.0.0.1 at the port given (0: any) and prints the port as its first line.
//   vapor-echo PORT
// Built with the trait `Vapor` (scripts/peers.sh builds it so); without it, it says so and exits.
#if Vapor
    import Foundation
    import Vapor

    let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 0
    let app = try await Application.make(Environment(name: "production", arguments: ["vapor-echo"]))
    app.logger.logLevel = .critical
    app.webSocket { _, socket in
        socket.onText { socket, text in socket.send(text) }
        socket.onBinary { socket, buffer in socket.send(buffer) }
    }
    app.http.server.configuration.hostname = "127.0.0.1"
    app.http.server.configuration.port = port
    try await app.startup() // Vapor's `serve` command, with the configuration above.
    // Unbuffered: scripts/peers.sh reads the port while the server runs.
    FileHandle.standardOutput.write(Data("\(app.http.server.shared.localAddress?.port ?? 0)\n".utf8))
    // Serves until SIGTERM or SIGINT (scripts/peers.sh stop), which Vapor's serve command turns into a stop.
    try await app.running?.onStop.get()
    try await app.asyncShutdown()
#else
    import Foundation

    FileHandle.standardError.write(Data("vapor-echo: build with --traits Vapor\n".utf8))
    exit(2)
#endif
