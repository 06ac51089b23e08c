#!/usr/bin/env python3
"""The layering of wsspec's modules: arrows point down only (docs/decisions.md, DESIGN.md).

Checks, from `swift package dump-package`:
- every library target depends only on what LAYERS allows it (a new arrow is a decision: add it here, with why);
- every source file imports only modules its target declares (or the system's), so that no dependency hides
  behind another target's re-export.
Exits 1 naming each breach.
"""
import json
import os
import re
import subprocess
import sys

# What each library may depend on. Executables, fuzzers, benchmarks and tests sit above everything.
LAYERS = {
    "CWebSocketKernels": set(),
    "CZlib": set(),
    "WireSim": set(),
    # The sans-IO core: swift-crypto (SHA-1), zlib and its own vector kernel, nothing else.
    "WebSocketCore": {"CWebSocketKernels", "CZlib", "Crypto"},
    "Transport": {"WebSocketCore", "WireSim"},
    "ReferenceServer": {"WebSocketCore"},
    # The routes and handlers: a lock that ThreadSanitizer can see (docs/decisions.md), not NIO's networking.
    "WebSocketRoutes": {"WebSocketCore", "NIOConcurrencyHelpers"},
    # What a handler test needs: the handler API and the simulated network, not the scenario DSL.
    "WebSocketTesting": {"WebSocketRoutes", "Transport", "WireSim", "WebSocketCore"},
    "Scenario": {"WebSocketCore", "WireSim", "Transport"},
    # NIO's channel API on the simulated network: a network adapter at the bottom, beside Transport, for the
    # frameworks that are written on NIO (their channel handlers run on it in-process).
    "SimulatedNIO": {"WireSim", "Transport", "WebSocketCore", "NIOCore"},
    # The catalog against an in-process server, from a unit test: the runner, the catalog and the reports.
    "ConformanceTesting": {"ConformanceSuite", "ConformanceReport", "Scenario", "Transport", "WireSim",
                           "WebSocketTesting"},
    # A Hummingbird application's routes under the mock API: the framework, on SimulatedNIO (trait Hummingbird).
    "WebSocketTestingHummingbird": {"WebSocketTesting", "SimulatedNIO", "Transport", "WireSim", "NIOCore", "NIOHTTP1",
                                    "Logging", "Hummingbird", "HummingbirdCore", "HummingbirdWebSocket",
                                    "WebSocketServerHummingbird", "WebSocketRoutes", "WebSocketNIO"},
    # wsspec's routes on Hummingbird's server: the session host (a network adapter) under Hummingbird's child channel.
    "WebSocketServerHummingbird": {"WebSocketRoutes", "WebSocketNIO", "WebSocketCore", "NIOCore", "Logging",
                                   "HummingbirdCore", "ServiceLifecycle"},
    # A Vapor application's routes under the mock API: the framework, on SimulatedNIO (trait Vapor).
    "WebSocketTestingVapor": {"WebSocketTesting", "SimulatedNIO", "Transport", "WireSim", "NIOCore", "NIOHTTP1", "Vapor"},
    "ConformanceSuite": {"Scenario", "ReferenceServer", "WebSocketCore"},
    # Section 14 (RFC 8441): the results model, a byte transport, the core's WebSocket, HPACK; no NIO networking.
    "HTTP2Section": {"Scenario", "Transport", "WebSocketCore", "WireSim", "NIOCore", "NIOHPACK"},
    "ConformanceReport": {"Scenario", "WebSocketCore", "Crypto"},
    # The network adapter, at the bottom beside Transport: bytes, connections and sans-IO sessions, no cases, no
    # routes. The only library that speaks NIO's networking. SimulatedNIO and WireSim: the same pipelines on a
    # simulated link (--sim over HTTP/2), on virtual time.
    "WebSocketNIO": {"Transport", "WebSocketCore", "SimulatedNIO", "WireSim", "NIOCore", "NIOConcurrencyHelpers", "NIOPosix", "NIOTLS", "NIOSSL", "NIOHTTP2", "NIOHPACK",
                     "Logging"},
    # The server a developer runs: routes (or the reference server) on the NIO host.
    "WebSocketServer": {"WebSocketRoutes", "WebSocketNIO", "ReferenceServer", "NIOSSL", "Logging"},
    # Fuzzing: conversations rendered as scenario cases, run by whoever calls it (live or in-process).
    "ConversationFuzz": {"Scenario", "WebSocketCore"},
    # Live runs: the scenario runner over the NIO transport.
    "LiveRun": {"Scenario", "HTTP2Section", "Transport", "WebSocketNIO", "WebSocketCore", "NIOCore", "NIOPosix", "NIOSSL"},
    # Transport: serve-suite hands the runner a connection whose request head it has read (ReplayingTransport).
    "WSSpecCommand": {"ConversationFuzz", "ConformanceSuite", "HTTP2Section", "ConformanceReport", "Scenario", "ReferenceServer", "WebSocketNIO",
                      "WebSocketServer", "LiveRun", "WebSocketCore", "Transport", "ArgumentParser", "Logging", "NIOSSL",
                      "NIOConcurrencyHelpers"},
    "ChatExample": {"WebSocketRoutes", "NIOConcurrencyHelpers", "Hummingbird"},
    "CFuzzShims": set(),
    "FuzzEntryPoints": {"CFuzzShims", "WebSocketCore"},
    # The readers of saved runs and baselines, and every report writer behind them.
    "FuzzReportEntryPoints": {"ConformanceReport", "Scenario"},
}

SYSTEM = {"Foundation", "FoundationEssentials", "Glibc", "Darwin", "Dispatch", "Synchronization", "Testing", "XCTest",
          "Swift", "_Concurrency", "os", "Musl"}

IMPORT = re.compile(r"^\s*(?:@testable\s+|@_exported\s+)?(?:public\s+|package\s+|internal\s+|private\s+|fileprivate\s+)?"
                    r"import\s+(?:struct\s+|class\s+|enum\s+|protocol\s+|func\s+|var\s+|let\s+|typealias\s+)?(\w+)")


def main():
    package = json.loads(subprocess.run(["swift", "package", "dump-package"], capture_output=True, text=True,
                                        check=True).stdout)
    problems = []
    for target in package["targets"]:
        name, kind = target["name"], target["type"]
        declared = {next(iter(dependency.values()))[0] for dependency in target["dependencies"]}
        if kind in ("regular", "system"):
            allowed = LAYERS.get(name)
            if allowed is None:
                problems.append(f"{name}: a library target the layering does not know yet (add it to LAYERS)")
            elif declared - allowed:
                problems.append(f"{name} depends on {sorted(declared - allowed)}, which its layer may not")
        path = target.get("path") or os.path.join("Tests" if kind == "test" else "Sources", name)
        for folder, _, files in os.walk(path):
            for file in files:
                if not file.endswith(".swift"):
                    continue
                with open(os.path.join(folder, file), encoding="utf-8") as handle:
                    for number, line in enumerate(handle, 1):
                        match = IMPORT.match(line)
                        if match and match.group(1) not in declared | SYSTEM | {name}:
                            problems.append(f"{os.path.join(folder, file)}:{number}: imports {match.group(1)}, "
                                            f"which {name} does not declare")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
