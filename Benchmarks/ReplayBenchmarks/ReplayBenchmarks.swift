import BenchSupport
import Benchmark
import ChunkTrace
import FloodReplay

/// Replay in memory: rebuilding the floods of a simulated 30-peer network's traces (about 50,000 events, made once by
/// the real node drivers) and rendering them as JSON and text.
let benchmarks: @Sendable () -> Void = {
    let collector = EventCollector()
    let network = BenchNetwork(seed: 42) { _, _ in collector }
    _ = network.runFloods(peerCount: 30, untilEvents: 50_000)
    network.finish()
    let index = TraceIndex(events: collector.events)
    let report = FloodReplayer().replay(index)
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(5))

    Benchmark("index 50k events") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(TraceIndex(events: collector.events)) }
    }
    Benchmark("rebuild floods of 50k events") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(FloodReplayer().replay(index)) }
    }
    Benchmark("render JSON") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(FloodJSONRenderer.render(report, floods: report.floods).utf8.count)
        }
    }
    Benchmark("render text") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(FloodTextRenderer.render(report.floods[0]).utf8.count) }
    }
}
