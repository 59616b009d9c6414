// swift-tools-version:6.1
// The project's benchmarks, apart from the main package so that its build (and CI) never builds the benchmark
// tool:
// - micro-benchmarks with ordo-one/benchmark, one target per folder here (TraceWriterBenchmarks,
//   LineCodecBenchmarks, MessageCodecBenchmarks, ReplayBenchmarks, MetricsBenchmarks), with wall-clock time, CPU
//   time and malloc counts: `swift package benchmark`;
// - the whole-system benches that Scripts/bench.sh runs (trace-bench, replay-bench, metrics-bench).
//
// The main package vends executables only, so its modules cannot be imported as products: this package compiles
// them itself from the same folders (Sources/<Module> are symlinks to ../../Sources/<Module>). It cannot also
// depend on the main package by path: SwiftPM wants target names unique across the package graph. Keep the
// targets below in step with ../Package.swift: Scripts/check_benchmarks_manifest.py (run by Scripts/test.sh) fails
// when they drift.
import PackageDescription

let log: Target.Dependency = .product(name: "Logging", package: "swift-log")
let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nio: [Target.Dependency] = [nioCore, .product(name: "NIOPosix", package: "swift-nio")]

/// A micro-benchmark target: the folder of its name, run by the benchmark plugin.
func micro(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name, dependencies: [.product(name: "Benchmark", package: "benchmark")] + dependencies, path: name,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
}

let package = Package(
    name: "p2p-chunks-benchmarks",
    platforms: [.macOS(.v15)],
    traits: [
        .trait(name: "ISAL", description: "Build the ISA-L igzip trace writer, as the main package does."),
        .default(enabledTraits: ["ISAL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // The project's modules (symlinked sources), as in ../Package.swift.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CIgzip", providers: [.apt(["libisal-dev"])]),
        .target(name: "BuildInfo"),
        .target(name: "Plurals"),
        .target(name: "DiagnosticLog", dependencies: [log]),
        .target(name: "ChunkProtocol", dependencies: ["Plurals", nioCore]),
        .target(
            name: "ChunkTrace",
            dependencies: [
                "CZlib", "BuildInfo", "Plurals", log, .target(name: "CIgzip", condition: .when(traits: ["ISAL"])),
            ]
        ),
        .target(name: "ChunkNode", dependencies: ["ChunkProtocol", "Plurals", nioCore]),
        .target(
            name: "ChunkMetrics",
            dependencies: [
                "CZlib", .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ] + nio),
        .target(name: "NodeObservers", dependencies: ["ChunkNode", "ChunkTrace", "ChunkMetrics"]),
        .target(name: "FloodReplay", dependencies: ["ChunkTrace", "Plurals"]),
        .target(name: "CDatagramIO"),
        .target(
            name: "ChunkNodeNIO",
            dependencies: [
                "ChunkNode", "ChunkMetrics", "BuildInfo", "Plurals", "CDatagramIO", "DiagnosticLog", log,
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ] + nio),
        .target(
            name: "NodeCLI",
            dependencies: [
                "ChunkNodeNIO", "NodeObservers", "ChunkTrace", "ChunkMetrics", "DiagnosticLog", log, nioCore,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // What the benches share: realistic events, a simulated network on the real node drivers.
        .target(name: "BenchSupport", dependencies: ["ChunkNode", "NodeObservers", "ChunkTrace"] + nio),

        // Micro-benchmarks (`swift package benchmark`).
        micro("TraceWriterBenchmarks", ["ChunkTrace", "BenchSupport"]),
        micro("LineCodecBenchmarks", ["ChunkTrace", "BenchSupport"]),
        micro("MessageCodecBenchmarks", ["ChunkProtocol"] + nio),
        micro("ReplayBenchmarks", ["FloodReplay", "ChunkTrace", "BenchSupport"]),
        micro("MetricsBenchmarks", ["ChunkMetrics"]),

        // Whole-system benches (Scripts/bench.sh).
        .executableTarget(name: "trace-bench", dependencies: ["ChunkTrace", "BenchSupport"]),
        .executableTarget(name: "replay-bench", dependencies: ["FloodReplay", "ChunkTrace", "BenchSupport"]),
        .executableTarget(
            name: "metrics-bench",
            dependencies: ["ChunkMetrics", "ChunkNodeNIO", "NodeCLI", "ChunkNode", "NodeObservers"] + nio),
    ],
    swiftLanguageModes: [.v6]
)
