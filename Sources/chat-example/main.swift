// Serves the example chat application on loopback.
//   swift run --traits Hummingbird chat-example [port]   the page at http://127.0.0.1:PORT/ and the rooms beside it,
//                                                        on Hummingbird, from one port
//   swift run chat-example [port]                        the WebSocket routes alone, on wsspec's own server
// Then open the page, or connect any WebSocket client to ws://127.0.0.1:PORT/chat/lobby with an `X-User` header.
import ChatExample
import Foundation

#if Hummingbird
    import Hummingbird
    import WebSocketServerHummingbird
#else
    import WebSocketServer
#endif

let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8080
#if Hummingbird
    let app = Application(
        router: ChatApp.httpRouter(),
        server: .http1(webSocketRoutes: ChatApp.router()),
        configuration: .init(address: .hostname("127.0.0.1", port: port)),
        onServerRunning: { channel in
            let bound = channel.localAddress?.port ?? port
            // Unbuffered: a script may read this line while the server runs.
            FileHandle.standardOutput.write(
                Data("chat example on http://127.0.0.1:\(bound)/ (the page) and ws://127.0.0.1:\(bound)/chat/lobby, /motd, /log, /echo\n".utf8))
        })
    try await app.runService()
#else
    let server = try await SessionServer.start(router: ChatApp.router(), port: port)
    print("chat example on \(server.url())chat/lobby, \(server.url())motd, \(server.url())log, \(server.url())echo")
    print("(built without the Hummingbird trait: no page at /; swift run --traits Hummingbird chat-example serves one)")
    await server.waitUntilStopped()
#endif
