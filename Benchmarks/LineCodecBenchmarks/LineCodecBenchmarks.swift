import BenchSupport
import Benchmark
import ChunkTrace

/// The JSON-lines codec of traces: encoding 1,000 realistic events into one reused buffer, and decoding their lines.
let benchmarks: @Sendable () -> Void = {
    let events = RealisticEvents.events(1_000)
    let lines = events.map { Array(TraceLineEncoder.line($0).utf8) }
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], maxDuration: .seconds(3))

    Benchmark("encode 1k events") { benchmark in
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for _ in benchmark.scaledIterations {
            buffer.removeAll(keepingCapacity: true)
            for event in events { TraceLineEncoder.append(event, to: &buffer) }
            blackHole(buffer.count)
        }
    }

    Benchmark("decode 1k lines") { benchmark in
        var decoder = TraceLineDecoder()
        for _ in benchmark.scaledIterations {
            for line in lines { blackHole(try? decoder.decode(line)) }
        }
    }
}
