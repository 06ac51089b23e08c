import Testing
import WebSocketNIO

extension LiveTests {
    @Suite("ws:// and wss:// URLs")
    struct WebSocketURLTests {
        @Test func parsesHostPortAndTarget() throws {
            let url = try WebSocketURL(parsing: "ws://127.0.0.1:9001/chat?room=1")
            #expect(url.secure == false)
            #expect(url.host == "127.0.0.1")
            #expect(url.port == 9001)
            #expect(url.target == "/chat?room=1")
            #expect(url.hostHeader == "127.0.0.1:9001")
        }

        @Test func defaultsPortAndPath() throws {
            let url = try WebSocketURL(parsing: "wss://localhost")
            #expect(url.port == 443)
            #expect(url.target == "/")
            #expect(url.hostHeader == "localhost")
            #expect(!url.hostIsAddressLiteral)
        }

        @Test func parsesIPv6Literals() throws {
            let url = try WebSocketURL(parsing: "ws://[::1]:8080")
            #expect(url.host == "::1")
            #expect(url.port == 8080)
            #expect(url.hostHeader == "[::1]:8080")
            #expect(url.hostIsAddressLiteral)
        }

        @Test(arguments: [
            ("127.0.0.1:9001", "expected ws://"),
            ("http://127.0.0.1/", "http(s)"),
            ("ftp://127.0.0.1/", "unknown scheme"),
            ("ws://", "host is missing"),
            ("ws://127.0.0.1:70000/", "port"),
            ("ws://127.0.0.1:x/", "port"),
            ("ws://[::1/", "closing ]"),
            ("ws://user@127.0.0.1/", "user information"),
            ("ws://127.0.0.1/a b", "space"),
            ("ws://127.0.0.1/#top", "fragment"),
            ("ws://exa mple/", "cannot have")
        ])
        func refusesWithAReason(text: String, reason: String) {
            #expect {
                try WebSocketURL(parsing: text)
            } throws: { error in
                "\(error)".contains(reason) && "\(error)".contains(text.debugDescription)
            }
        }
    }
}
