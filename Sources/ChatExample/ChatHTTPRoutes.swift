#if Hummingbird
    public import Hummingbird

    extension ChatApp {
        /// The chat's HTTP routes on Hummingbird: the page at `/`. The rooms are `router()`'s, mounted beside these
        /// (`Application(router: ChatApp.httpRouter(), server: .http1(webSocketRoutes: ChatApp.router()))`).
        public static func httpRouter() -> Router<BasicRequestContext> {
            let router = Router()
            router.get("/") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: page)))
            }
            return router
        }
    }
#endif
