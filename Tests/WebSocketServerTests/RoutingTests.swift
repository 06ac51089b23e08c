import Testing
import WebSocketRoutes
import WebSocketTesting

@Suite("Routes: paths, parameters, groups, middleware and guards")
struct RoutingTests {
    static func server() -> TestServer {
        TestServer { router in
            router.ws("/echo") { message, _ in message }
            router.ws("/rooms/:room/users/:user") { _, connection in
                let request = connection.request
                return .text("\(request.parameters["room"]!)/\(request.parameters["user"]!)?\(request.query ?? "")")
            }
            router.group(
                "/api",
                middleware: [
                    UpgradeGuard { request throws(UpgradeRefusal) in
                        guard request.headers.single("Authorization") == "Bearer token" else { throw .unauthorized }
                        request.attributes["user"] = "ann"
                    }
                ]
            ) { api in
                api.group(
                    "/admin",
                    middleware: [
                        UpgradeGuard { request throws(UpgradeRefusal) in
                            guard request.attributes["user"] == "root" else { throw .forbidden }
                        }
                    ]
                ) { admin in
                    admin.ws("/ws") { _, _ in .text("admin") }
                }
                api.ws("/whoami", subprotocols: ["v2", "v1"]) { _, connection in
                    .text("\(connection.request.attributes["user"] ?? "?") \(connection.request.subprotocol ?? "none")")
                }
            }
        }
    }

    @Test func pathParametersAndTheQueryReachTheHandler() async throws {
        let client = try await Self.server().connect("/rooms/r%C3%A9union/users/7?debug=1")
        try await client.send(text: "?")
        #expect(try await client.receive() == .text("réunion/7?debug=1"))
    }

    @Test func anUnknownPathIsRefusedWith404() async throws {
        await #expect { try await Self.server().connect("/nope") } throws: { ($0 as? ClientSessionError)?.status == 404 }
        await #expect { try await Self.server().connect("/rooms/1/users") } throws: { ($0 as? ClientSessionError)?.status == 404 }
    }

    @Test func aGuardRefusesWithItsStatusAndReason() async throws {
        let server = Self.server()
        await #expect { try await server.connect("/api/whoami") } throws: { error in
            error as? ClientSessionError == .upgradeRefused(status: 401, reason: "unauthorized")
        }
        await #expect { try await server.connect("/api/admin/ws", headers: ["Authorization": "Bearer token"]) } throws: {
            ($0 as? ClientSessionError)?.status == 403
        }
    }

    @Test func middlewareAttributesAndTheNegotiatedSubprotocolReachTheHandler() async throws {
        let client = try await Self.server().connect("/api/whoami", headers: ["Authorization": "Bearer token"], subprotocols: ["v1", "v2"])
        #expect(client.subprotocol == "v2") // The route's preference wins.
        try await client.send(text: "?")
        #expect(try await client.receive() == .text("ann v2"))
    }

    @Test func aMalformedUpgradeIsRefusedBeforeAnyHandlerRuns() async throws {
        let server = Self.server()
        let client = try await server.connect("/echo")
        try await client.send(text: "still fine")
        #expect(try await client.receive() == .text("still fine"))
        // A second request on a raw link: not GET.
        await #expect { try await server.connect("/echo", headers: ["Sec-WebSocket-Version": "8"]) } throws: {
            ($0 as? ClientSessionError)?.status == 426
        }
    }
}

@Suite("Route patterns")
struct RoutePatternTests {
    @Test func parametersDecodeAndBadEscapesMatchNothing() async throws {
        let server = TestServer { $0.ws("/files/:name") { _, connection in .text(connection.request.parameters["name"] ?? "?") } }
        let client = try await server.connect("/files/a%20b")
        try await client.send(text: "?")
        #expect(try await client.receive() == .text("a b"))
        await #expect { try await server.connect("/files/%zz") } throws: { ($0 as? ClientSessionError)?.status == 404 }
        await #expect { try await server.connect("/files/%C3") } throws: { ($0 as? ClientSessionError)?.status == 404 }
    }

    @Test func emptySegmentsAreIgnoredAndTheFirstMatchingRouteWins() async throws {
        let server = TestServer { router in
            router.ws("/a/:x") { _, _ in .text("parameter") }
            router.ws("/a/b") { _, _ in .text("literal") }
        }
        let client = try await server.connect("//a//b/")
        try await client.send(text: "?")
        #expect(try await client.receive() == .text("parameter"))
    }
}
