// The server a Swift developer runs: `import WebSocketServer` brings the routes and handlers (`WebSocketRoutes`,
// and through it the core's types) and the NIO host (`SessionServer`) along, as it did when this module held the
// handler API itself.
@_exported public import WebSocketNIO
@_exported public import WebSocketRoutes
