import Benchmark
import ChunkMetrics

/// The metric set: the updates a datagram costs on its path, and rendering the exposition for a scrape.
let benchmarks: @Sendable () -> Void = {
    let metrics = NodeMetrics(role: .peer, version: "bench", dropReasons: ["malformed", "unknown_type"])
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], maxDuration: .seconds(3))

    Benchmark("messageSent ×1000 (3 counters)") { benchmark in
        for _ in benchmark.scaledIterations {
            for index in 0..<1000 { metrics.messageSent(.response, bytes: 1030 + index & 1) }
        }
    }
    Benchmark("messageHandled ×1000 (histogram)") { benchmark in
        for _ in benchmark.scaledIterations {
            for index in 0..<1000 { metrics.messageHandled(.get, seconds: Double(index & 1023) * 1e-7) }
        }
    }
    Benchmark("render the exposition") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(metrics.render().count) }
    }
}
