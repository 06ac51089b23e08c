// Serves the example chat application over TCP on loopback: `swift run chat-example [port]`, then connect
// any WebSocket client to ws://127.0.0.1:PORT/chat/lobby with an `X-User` header.
import ChatExample
import WebSocketServer

let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8080
let server = try await SessionServer.start(router: ChatApp.router(), port: port)
print("chat example on \(server.url())chat/lobby, \(server.url())motd, \(server.url())log, \(server.url())echo")
await server.waitUntilStopped()
