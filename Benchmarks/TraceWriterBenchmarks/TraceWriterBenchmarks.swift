import BenchSupport
import Benchmark
import ChunkTrace
import Foundation

/// The trace writer: `record()` of 10,000 realistic events and `finish()` (encode, compress on the writer's thread,
/// write), with each compressor at its default level.
let benchmarks: @Sendable () -> Void = {
    let events = RealisticEvents.events(10_000)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trace-writer-bench").path
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], maxDuration: .seconds(5))
    for compressor in TraceCompressor.allCases where compressor.isBuilt {
        Benchmark("record 10k events + finish, \(compressor.rawValue)") { benchmark in
            for iteration in benchmark.scaledIterations {
                let writer = TraceSegmentWriter(
                    directory: "\(folder)/\(compressor.rawValue)-\(iteration)", role: .peer, node: "10.0.0.1:5001",
                    configuration: .init(compressor: compressor))
                benchmark.startMeasurement()
                for event in events { writer.record(event) }
                writer.finish()
                benchmark.stopMeasurement()
                try? FileManager.default.removeItem(atPath: "\(folder)/\(compressor.rawValue)-\(iteration)")
            }
        }
    }
}
