// Handlers name close codes, headers and closures: one import of WebSocketRoutes brings them along.
@_exported public import WebSocketCore
