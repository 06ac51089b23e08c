// Handlers name close codes, headers and closures: one import of WebSocketServer brings them along.
@_exported public import WebSocketCore
