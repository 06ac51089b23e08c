// swift-tools-version:6.2
// The peer matrix's Swift servers: echo servers on Hummingbird 2 and on Vapor 4, as their users write them.
// A package of its own, so that building wsspec does not build either framework (scripts/peers.sh builds it).
// The protocol code itself is swift-websocket's (Hummingbird) and websocket-kit's (Vapor): pinned too, so that
// the golden verdicts name what they were made against.
import PackageDescription

let package = Package(
    name: "SwiftPeers",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", exact: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", exact: "1.6.2"),
        .package(url: "https://github.com/vapor/vapor.git", exact: "4.122.3"),
        .package(url: "https://github.com/vapor/websocket-kit.git", exact: "2.16.2")
    ],
    targets: [
        .executableTarget(
            name: "hummingbird-echo",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSCompression", package: "hummingbird-websocket"),
                .product(name: "WSCore", package: "swift-websocket")
            ]),
        .executableTarget(
            name: "vapor-echo",
            dependencies: [.product(name: "Vapor", package: "vapor"), .product(name: "WebSocketKit", package: "websocket-kit")])
    ]
)
