// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "p2p-chunks",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "peer", targets: ["peer"]),
        .executable(name: "client", targets: ["client"]),
        .executable(name: "p2ptrace", targets: ["p2ptrace"]),
    ],
    traits: [
        .trait(
            name: "ISAL",
            description:
                "Build the ISA-L igzip trace writer (needs libisal-dev); without it traces are written with zlib."),
        .default(enabledTraits: ["ISAL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"]), .brew(["libpcap"])]
        ),
        .target(name: "BuildInfo"),
        .target(name: "Plurals"),
        .target(name: "DiagnosticLog", dependencies: [.product(name: "Logging", package: "swift-log")]),
        .target(
            name: "ChunkProtocol",
            dependencies: ["Plurals", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .systemLibrary(
            name: "CIgzip",
            providers: [.apt(["libisal-dev"]), .brew(["isa-l"])]
        ),
        .target(
            name: "ChunkTrace",
            dependencies: [
                "CZlib", "BuildInfo", "Plurals", .product(name: "Logging", package: "swift-log"),
                .target(name: "CIgzip", condition: .when(traits: ["ISAL"])),
            ]
        ),
        .target(
            name: "ChunkNode",
            dependencies: ["ChunkProtocol", "Plurals", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "NodeObservers",
            dependencies: ["ChunkNode", "ChunkTrace", "ChunkMetrics"]
        ),
        .target(
            name: "ChunkMetrics",
            dependencies: [
                "CZlib",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "FloodReplay",
            dependencies: ["ChunkTrace", "Plurals"]
        ),
        .target(name: "CDatagramIO"),
        .target(
            name: "CaptureImport",
            dependencies: [
                "CPcap", "ChunkProtocol", "ChunkTrace", "NodeObservers", "Plurals",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "ChunkNodeNIO",
            dependencies: [
                "ChunkNode", "ChunkMetrics", "BuildInfo", "Plurals", "CDatagramIO", "DiagnosticLog",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "NodeCLI",
            dependencies: [
                "ChunkNodeNIO", "NodeObservers", "ChunkTrace", "ChunkMetrics", "DiagnosticLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "peer",
            dependencies: [
                "ChunkNodeNIO", "NodeCLI", "NodeObservers", "BuildInfo", "Plurals", "DiagnosticLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "client",
            dependencies: [
                "ChunkNodeNIO", "NodeCLI", "NodeObservers", "BuildInfo", "Plurals", "DiagnosticLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "p2ptrace",
            dependencies: [
                "FloodReplay", "ChunkTrace", "CaptureImport", "BuildInfo", "Plurals", "DiagnosticLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The benchmarks (micro-benchmarks, trace-bench, replay-bench, metrics-bench) are a package of their own:
        // Benchmarks/Package.swift.
        .executableTarget(
            name: "p2pload",
            dependencies: [
                "ChunkProtocol", "BuildInfo", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["ChunkProtocol"], path: "Tests/TestSupport"),
        .testTarget(name: "PluralsTests", dependencies: ["Plurals"]),
        .testTarget(name: "ChunkProtocolTests", dependencies: ["TestSupport", "ChunkProtocol"]),
        .testTarget(name: "ChunkNodeTests", dependencies: ["TestSupport", "ChunkNode"]),
        .testTarget(name: "ChunkTraceTests", dependencies: ["TestSupport", "ChunkTrace"]),
        .testTarget(
            name: "ChunkMetricsTests",
            dependencies: [
                "ChunkMetrics", "TestSupport", .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "FloodReplayTests",
            dependencies: [
                "TestSupport", "FloodReplay", "ChunkTrace", "ChunkNode", "ChunkNodeNIO", "NodeObservers",
                "ChunkMetrics",
            ]
        ),
        .testTarget(
            name: "CaptureImportTests", dependencies: ["TestSupport", "CaptureImport", "ChunkProtocol", "ChunkTrace"]),
        .testTarget(name: "ChunkNodeNIOTests", dependencies: ["TestSupport", "ChunkNodeNIO"]),
        .testTarget(
            name: "NodeObserversTests",
            dependencies: [
                "NodeObservers", "ChunkNode", "ChunkTrace", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests", dependencies: ["TestSupport", "ChunkProtocol", "ChunkTrace", "FloodReplay"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets, seen only when P2P_FUZZ_TARGETS=1 (Scripts/fuzz.sh builds them with -sanitize=fuzzer), so that
// ordinary builds and CI's `swift build` do not compile them.
if Context.environment["P2P_FUZZ_TARGETS"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzWireDecoder", ["ChunkProtocol"]),
        ("FuzzTraceLine", ["ChunkTrace"]),
        (
            "FuzzMetricsRequest",
            [
                "ChunkMetrics", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        ("FuzzKeyValues", ["ChunkNode"]),
        ("FuzzReplay", ["FloodReplay", "ChunkTrace"]),
    ]
    for target in fuzzTargets {
        package.targets.append(
            .executableTarget(name: target.name, dependencies: target.dependencies, path: "Fuzz/\(target.name)"))
    }
}
