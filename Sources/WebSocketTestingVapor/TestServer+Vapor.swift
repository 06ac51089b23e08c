#if Vapor
    public import Vapor
    public import WebSocketTesting
    public import WireSim

    extension TestServer {
        /// Hosts a Vapor application's routes in-process: the mock-connection API (`connect`, `request`,
        /// `TestConnection`) reaches them through Vapor's own responder, upgrader and websocket-kit.
        ///
        ///     let app = try await Application.make(.testing)
        ///     app.webSocket("echo") { _, ws in ws.onText { ws, text in ws.send(text) } }
        ///     let server = TestServer(vapor: app)
        ///     let client = try await server.connect("/echo")
        ///
        /// Register the routes first: the responder is built from them here. Shut the application down as usual.
        public convenience init(seed: UInt64 = 0, link: LinkOptions = .ideal, vapor application: Application) {
            self.init(seed: seed, link: link, application: VaporServer(application))
        }
    }
#endif
