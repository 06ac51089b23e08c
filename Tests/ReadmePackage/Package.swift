// swift-tools-version: 6.1
// A package written the way the README tells a new user to write one: it depends on wsspec by its products'
// names and tests a handler, and a Hummingbird and a Vapor application's routes, with the mock-connection API. `scripts/test.sh` builds and runs it, so the README's
// instructions and examples keep compiling and passing as they are written.
import PackageDescription

let package = Package(
    name: "ReadmeTests",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The README: `.package(url: "https://github.com/OWNER/wsspec.git", branch: "main")`, or a local checkout
        // by path. A path dependency's identity is its folder's name, so the checkout is reached through a
        // folder named `wsspec` (test.sh makes it a link to this repository).
        // The framework integrations are traits: only a package that asks for one builds that framework.
        .package(path: "../../.build-readme/wsspec", traits: ["Hummingbird", "Vapor"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
    ],
    targets: [
        .testTarget(
            name: "ReadmeTests",
            dependencies: [
                .product(name: "WebSocketRoutes", package: "wsspec"),
                .product(name: "WebSocketTesting", package: "wsspec"),
                .product(name: "WebSocketTestingHummingbird", package: "wsspec"),
                .product(name: "ConformanceTesting", package: "wsspec"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "WebSocketTestingVapor", package: "wsspec"),
                .product(name: "Vapor", package: "vapor"),
            ]
        ),
    ]
)
