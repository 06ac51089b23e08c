// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault")
]

let package = Package(
    name: "wsspec",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "WebSocketCore", targets: ["WebSocketCore"]),
        .library(name: "WireSim", targets: ["WireSim"]),
        .library(name: "Scenario", targets: ["Scenario"]),
        .library(name: "ConformanceSuite", targets: ["ConformanceSuite"]),
        .library(name: "ReferenceServer", targets: ["ReferenceServer"]),
        .library(name: "WebSocketNIO", targets: ["WebSocketNIO"]),
        .library(name: "ConformanceReport", targets: ["ConformanceReport"]),
        .library(name: "LiveRun", targets: ["LiveRun"]),
        .library(name: "WebSocketRoutes", targets: ["WebSocketRoutes"]),
        // The server: the routes and handlers (re-exported) and the NIO host. It held the handler API alone once,
        // so `import WebSocketServer` keeps compiling for code written then.
        .library(name: "WebSocketServer", targets: ["WebSocketServer"]),
        .library(name: "WebSocketTesting", targets: ["WebSocketTesting"]),
        // The catalog against an in-process application, from a unit test.
        .library(name: "ConformanceTesting", targets: ["ConformanceTesting"]),
        // A Hummingbird application's routes under the mock-connection API (trait "Hummingbird").
        .library(name: "WebSocketTestingHummingbird", targets: ["WebSocketTestingHummingbird"]),
        // A wsspec router's routes served beside a Hummingbird application's HTTP routes, from one port (trait "Hummingbird").
        .library(name: "WebSocketServerHummingbird", targets: ["WebSocketServerHummingbird"]),
        // A Vapor application's routes under the mock-connection API (trait "Vapor").
        .library(name: "WebSocketTestingVapor", targets: ["WebSocketTestingVapor"]),
        .executable(name: "wsspec", targets: ["wsspec"])
    ],
    // The framework integrations are traits, off by default: a package that does not ask for them builds neither
    // framework (docs/decisions.md, "Framework integrations as traits").
    traits: [
        .trait(name: "Hummingbird", description: "Host Hummingbird 2 applications in-process (WebSocketTestingHummingbird)."),
        .trait(name: "Vapor", description: "Host Vapor 4 applications in-process (WebSocketTestingVapor)."),
        .default(enabledTraits: [])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/websocket-kit.git", from: "2.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // `swift package generate-documentation`: the DocC catalogs of the library products (a plugin only;
        // nothing of it is linked into a product).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0")
    ],
    targets: [
        // The sans-IO RFC 6455 core: no sockets, no clocks, no randomness of its own.
        .target(
            name: "WebSocketCore",
            dependencies: ["CWebSocketKernels", "CZlib", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // The reference echo server as a sans-IO session; hosted by the simulated network and (later) NIO.
        .target(name: "ReferenceServer", dependencies: ["WebSocketCore"], swiftSettings: strictSettings),
        // The transport-neutral handler API: routes, middleware, lifecycle callbacks, modes, keepalive.
        .target(
            name: "WebSocketRoutes",
            dependencies: ["WebSocketCore", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        // The server a developer runs: a router's routes, or the reference server, on the NIO host.
        .target(
            name: "WebSocketServer",
            dependencies: [
                "WebSocketRoutes",
                "WebSocketNIO",
                "ReferenceServer",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log")
            ],
            swiftSettings: strictSettings
        ),
        // The mock-connection API for users' test targets: a TestServer hosting routes over WireSim.
        .target(
            name: "WebSocketTesting",
            dependencies: ["WebSocketRoutes", "Transport", "WireSim", "WebSocketCore"],
            swiftSettings: strictSettings
        ),
        // NIO's channel API at the server end of a simulated link, on virtual time: how a framework's own channel
        // handlers are hosted in-process.
        .target(
            name: "SimulatedNIO",
            dependencies: ["WireSim", "Transport", "WebSocketCore", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        // The catalog (or a selection of it) against an in-process application, returning results and writing reports.
        .target(
            name: "ConformanceTesting",
            dependencies: ["ConformanceSuite", "ConformanceReport", "Scenario", "Transport", "WireSim", "WebSocketTesting"],
            swiftSettings: strictSettings
        ),
        // wsspec's routes on Hummingbird's server: a child channel that gives WebSocket handshakes for the router's
        // paths to wsspec's session host and everything else to Hummingbird's HTTP/1.1 channel.
        .target(
            name: "WebSocketServerHummingbird",
            dependencies: [
                "WebSocketRoutes",
                "WebSocketNIO",
                "WebSocketCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdCore", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: ["Hummingbird"]))
            ],
            swiftSettings: strictSettings
        ),
        // A Hummingbird application's HTTP and WebSocket routes, through Hummingbird's own channel setup, in-process.
        .target(
            name: "WebSocketTestingHummingbird",
            dependencies: [
                "WebSocketServerHummingbird",
                "WebSocketRoutes",
                "WebSocketNIO",
                "WebSocketTesting",
                "SimulatedNIO",
                "Transport",
                "WireSim",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HummingbirdCore", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket", condition: .when(traits: ["Hummingbird"]))
            ],
            swiftSettings: strictSettings
        ),
        // A Vapor application's routes, through Vapor's responder, upgrader and websocket-kit, in-process.
        .target(
            name: "WebSocketTestingVapor",
            dependencies: [
                "WebSocketTesting",
                "SimulatedNIO",
                "Transport",
                "WireSim",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Vapor", package: "vapor", condition: .when(traits: ["Vapor"]))
            ],
            swiftSettings: strictSettings
        ),
        // The example application (a chat room, a keepalive route, a send-only route), and its server on NIO.
        .target(
            name: "ChatExample",
            dependencies: [
                "WebSocketRoutes",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"]))
            ],
            swiftSettings: strictSettings
        ),
        // `swift run --traits Hummingbird chat-example PORT`: the page at / and the rooms, on Hummingbird, from one
        // port; without the trait, the WebSocket routes alone on wsspec's own server.
        .executableTarget(
            name: "chat-example",
            dependencies: [
                "ChatExample",
                "WebSocketServer",
                "WebSocketServerHummingbird",
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"]))
            ],
            swiftSettings: strictSettings),
        // The peer matrix's Swift servers (scripts/peers.sh): echo servers on Hummingbird and on Vapor, as their
        // users write them, built with the traits that bring the frameworks.
        .executableTarget(
            name: "hummingbird-echo",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HummingbirdWSCompression", package: "hummingbird-websocket", condition: .when(traits: ["Hummingbird"])),
                .product(name: "Logging", package: "swift-log")
            ],
            path: "Tests/Peers/hummingbird-echo", swiftSettings: strictSettings),
        .executableTarget(
            name: "vapor-echo",
            dependencies: [.product(name: "Vapor", package: "vapor", condition: .when(traits: ["Vapor"]))],
            path: "Tests/Peers/vapor-echo", swiftSettings: strictSettings),
        // A connection as a byte stream (the transport the runner and the test client drive), and its simulated
        // form: the client end of a WireSim link, and a host for sans-IO server sessions at the other end.
        .target(name: "Transport", dependencies: ["WebSocketCore", "WireSim"], swiftSettings: strictSettings),
        // The scenario DSL, verdict rules and the runner over a transport (in-process over WireSim first).
        .target(name: "Scenario", dependencies: ["WebSocketCore", "WireSim", "Transport"], swiftSettings: strictSettings),
        // Section 14, WebSocket over HTTP/2 (RFC 8441): cases as data, probed frame by frame by a client of its own
        // (swift-nio-http2's HPACK; the one hand-written HTTP/2 frame encoder), judged into the catalog's results.
        .target(
            name: "HTTP2Section",
            dependencies: [
                "Scenario", "Transport", "WebSocketCore", "WireSim",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHPACK", package: "swift-nio-http2")
            ],
            swiftSettings: strictSettings
        ),
        // The conformance catalog, one file per section, written in the DSL, and the reference server run against it.
        .target(name: "ConformanceSuite", dependencies: ["Scenario", "ReferenceServer", "WebSocketCore"], swiftSettings: strictSettings),
        // The network adapter at the bottom: the runner's transport over TCP/TLS, and a host for sans-IO server
        // sessions. It knows bytes, connections and sessions, not cases or routes.
        .target(
            name: "WebSocketNIO",
            dependencies: [
                "Transport",
                "WebSocketCore",
                "SimulatedNIO",
                "WireSim",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "Logging", package: "swift-log")
            ],
            swiftSettings: strictSettings
        ),
        // Differential fuzzing: seeded conversations as scenario-file cases, the run loop and the shrinker; where the
        // conversations run (live, in-process) is the command's.
        .target(
            name: "ConversationFuzz",
            dependencies: ["Scenario", "WebSocketCore"],
            swiftSettings: strictSettings
        ),
        // Live runs: the catalog against a server at a URL, each case on its own connection, `jobs` at a time.
        .target(
            name: "LiveRun",
            dependencies: [
                "Scenario",
                "HTTP2Section",
                "Transport",
                "WebSocketNIO",
                "WebSocketCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl")
            ],
            swiftSettings: strictSettings
        ),
        // Report writers (static HTML, JSON in Autobahn|Testsuite's shape, JUnit XML) and the verdict diff;
        // they read results only.
        .target(
            name: "ConformanceReport",
            dependencies: ["Scenario", "WebSocketCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // The `wsspec` command: its subcommands live in a library so that tests drive them in-process.
        .target(
            name: "WSSpecCommand",
            dependencies: [
                "ConversationFuzz",
                "ConformanceSuite",
                "HTTP2Section",
                "ConformanceReport",
                "Scenario",
                "ReferenceServer",
                "WebSocketNIO",
                "WebSocketServer",
                "LiveRun",
                "WebSocketCore",
                "Transport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl")
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "wsspec", dependencies: ["WSSpecCommand"], swiftSettings: strictSettings),
        // Deterministic simulated network and virtual time; depends on nothing.
        .target(name: "WireSim", swiftSettings: strictSettings),
        // The system zlib (zlib1g-dev), for permessage-deflate in the core.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Vector kernels of the core that Swift's SIMD types do not compile well (docs/decisions.md).
        .target(name: "CWebSocketKernels"),
        // Fuzzing: C shims (slicing, invariants, a UTF-8 reference, a frame mutator; tested with cmocka),
        // the Swift side they call, and one libFuzzer executable per target (scripts/fuzz.sh).
        .target(name: "CFuzzShims", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "FuzzEntryPoints", dependencies: ["CFuzzShims", "WebSocketCore"], swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzFrames", dependencies: ["FuzzEntryPoints"], path: "Sources/Fuzzers/FuzzFrames",
            swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzHandshake", dependencies: ["FuzzEntryPoints"], path: "Sources/Fuzzers/FuzzHandshake",
            swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzUTF8", dependencies: ["FuzzEntryPoints"], path: "Sources/Fuzzers/FuzzUTF8",
            swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzDeflate", dependencies: ["FuzzEntryPoints"], path: "Sources/Fuzzers/FuzzDeflate",
            swiftSettings: strictSettings),
        // The files wsspec reads back (saved runs, baselines), fuzzed through the report readers and writers.
        .target(name: "FuzzReportEntryPoints", dependencies: ["ConformanceReport", "Scenario"], swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzSavedRun", dependencies: ["FuzzReportEntryPoints"], path: "Sources/Fuzzers/FuzzSavedRun",
            swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzBaseline", dependencies: ["FuzzReportEntryPoints"], path: "Sources/Fuzzers/FuzzBaseline",
            swiftSettings: strictSettings),
        // Release-built throughput comparison against SwiftNIO's codec and memcpy (scripts/bench.sh).
        .executableTarget(
            name: "WSSpecBenchmarks",
            dependencies: [
                "WebSocketCore",
                "WireSim",
                "Scenario",
                "ConformanceSuite",
                "ReferenceServer",
                "WebSocketNIO",
                "ConformanceReport",
                "WebSocketServer",
                "WebSocketRoutes",
                "LiveRun",
                "WebSocketTesting",
                "WSSpecCommand",
                "WebSocketTestingHummingbird",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                // Hummingbird's own test client, the peer of the in-process Hummingbird figure.
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HummingbirdTesting", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket", condition: .when(traits: ["Hummingbird"])),
                .product(name: "Logging", package: "swift-log")
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WireSimTests",
            dependencies: ["WireSim", "WebSocketCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FuzzEntryPointsTests",
            dependencies: ["FuzzEntryPoints", "FuzzReportEntryPoints", "CFuzzShims", "WebSocketCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ScenarioTests",
            dependencies: [
                "Scenario", "ConversationFuzz", "ConformanceSuite", "ReferenceServer", "WebSocketCore", "WireSim", "WebSocketTesting",
                "Transport"
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WebSocketNIOTests",
            dependencies: [
                "WebSocketNIO",
                "HTTP2Section",
                "WebSocketServer",
                "WebSocketRoutes",
                "LiveRun",
                "WebSocketTesting",
                "ChatExample",
                "WSSpecCommand",
                "ConformanceSuite",
                "ConformanceReport",
                "Scenario",
                "ReferenceServer",
                "WebSocketCore",
                "Transport",
                "WireSim",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ConformanceReportTests",
            dependencies: ["ConformanceReport", "ConformanceSuite", "Scenario", "ReferenceServer", "WSSpecCommand"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WebSocketServerTests",
            dependencies: ["WebSocketRoutes", "WebSocketTesting", "WebSocketCore", "WireSim"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChatExampleTests",
            dependencies: ["ChatExample", "WebSocketTesting", "WebSocketRoutes", "ConformanceTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HummingbirdIntegrationTests",
            dependencies: [
                "WebSocketTestingHummingbird",
                "WebSocketServerHummingbird",
                "ChatExample",
                "LiveRun",
                "ConformanceSuite",
                "ConformanceReport",
                "WebSocketNIO",
                "WireSim",
                .product(name: "HummingbirdTesting", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                "WebSocketTesting",
                "ConformanceTesting",
                "Scenario",
                "WebSocketCore",
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HummingbirdWSCompression", package: "hummingbird-websocket", condition: .when(traits: ["Hummingbird"])),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket", condition: .when(traits: ["Hummingbird"]))
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VaporIntegrationTests",
            dependencies: [
                "WebSocketTestingVapor",
                "WebSocketTesting",
                "ConformanceTesting",
                "Scenario",
                "WebSocketCore",
                .product(name: "Vapor", package: "vapor", condition: .when(traits: ["Vapor"])),
                .product(name: "WebSocketKit", package: "websocket-kit", condition: .when(traits: ["Vapor"]))
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SimulatedNIOTests",
            dependencies: [
                "SimulatedNIO", "WebSocketTesting", "WebSocketCore", "WireSim", .product(name: "NIOCore", package: "swift-nio")
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WebSocketCoreTests",
            dependencies: ["WebSocketCore"],
            swiftSettings: strictSettings
        )
    ],
    swiftLanguageModes: [.v6]
)
