// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "wsspec",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "WebSocketCore", targets: ["WebSocketCore"]),
        .library(name: "WireSim", targets: ["WireSim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // The sans-IO RFC 6455 core: no sockets, no clocks, no randomness of its own.
        .target(
            name: "WebSocketCore",
            dependencies: ["CWebSocketKernels", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // Deterministic simulated network and virtual time; depends on nothing.
        .target(name: "WireSim", swiftSettings: strictSettings),
        // Vector kernels of the core that Swift's SIMD types do not compile well (docs/decisions.md).
        .target(name: "CWebSocketKernels"),
        // Release-built throughput comparison against SwiftNIO's codec and memcpy (scripts/bench.sh).
        .executableTarget(
            name: "WSSpecBenchmarks",
            dependencies: [
                "WebSocketCore",
                "WireSim",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WireSimTests",
            dependencies: ["WireSim", "WebSocketCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WebSocketCoreTests",
            dependencies: ["WebSocketCore"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
