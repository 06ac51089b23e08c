// A handler test names messages, close codes and payloads, headers and closures: `import WebSocketTesting`
// brings the handler API (and through it the core's types) along.
@_exported public import WebSocketRoutes
