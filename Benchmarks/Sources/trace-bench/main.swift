// trace-bench: throughput of the trace writer and reader on realistic peer events. Prints figures, asserts nothing.
// Build and run: cd Benchmarks && swift run -c release trace-bench [events] (or Scripts/bench.sh --only trace)
import BenchSupport
import ChunkTrace
import Foundation

let eventCount = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 1_000_000

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

func wallSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func rate(_ count: Int, _ seconds: Double) -> String {
    String(format: "%.0f", Double(count) / max(seconds, 1e-9))
}

let events = RealisticEvents.events(eventCount)
print("trace-bench: \(eventCount) realistic peer events")

// 1. Encoding alone, into one reused buffer.
do {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 20)
    var total = 0
    let start = wallSeconds()
    for event in events {
        TraceLineEncoder.append(event, to: &buffer)
        if buffer.count > 1 << 20 {
            total += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
    }
    total += buffer.count
    let elapsed = wallSeconds() - start
    print("encode only:            \(rate(eventCount, elapsed)) events/s, \(total / eventCount) bytes/event (JSON)")
}

// 2. The real writer: record() on this thread, compression on the writer's thread; CPU time over both threads.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trace-bench-\(getpid())").path
defer { try? FileManager.default.removeItem(atPath: folder) }
var defaultFolder = ""
// igzip (the default compressor) at every level, and zlib at the levels it was run at before, side by side.
// A build without the ISAL trait measures zlib only.
let settings: [(TraceCompressor, Int)] = [(.igzip, 0), (.igzip, 1), (.igzip, 2), (.igzip, 3), (.zlib, 1), (.zlib, 2)]
    .filter { $0.0.isBuilt }
for (compressor, level) in settings {
    let directory = "\(folder)/\(compressor.rawValue)\(level)"
    let configuration = TraceSegmentWriter.Configuration(
        segmentBytes: 64 << 20, keepSegments: 1000, maxQueueBytes: 1 << 30, compressor: compressor,
        compressionLevel: level)
    let writer = TraceSegmentWriter(
        directory: directory, role: .peer, node: "10.0.0.1:5001", configuration: configuration)
    let cpuStart = cpuSeconds()
    let start = wallSeconds()
    for event in events { writer.record(event) }
    let recorded = wallSeconds()
    writer.finish()
    let elapsed = wallSeconds() - start
    let cpu = cpuSeconds() - cpuStart
    let statistics = writer.statistics
    let isDefault =
        compressor == TraceSegmentWriter.Configuration().compressor
        && level == TraceSegmentWriter.Configuration().compressionLevel
    let label = "writer \(compressor.rawValue) level \(level):"
    print(
        label.padding(toLength: 24, withPad: " ", startingAt: 0)
            + "\(rate(eventCount, cpu)) events per CPU-second (encode+compress+write), "
            + "\(rate(eventCount, elapsed)) events/s wall; record() \(rate(eventCount, recorded - start)) calls/s; "
            + String(format: "%.1f", Double(statistics.bytesWritten) / Double(eventCount)) + " compressed bytes/event; "
            + "dropped \(statistics.droppedEvents)" + (isDefault ? " (default)" : ""))
    if isDefault { defaultFolder = directory }
}

// 2b. record() cost on the datagram thread in steady state: bursts of 1000 events, the writer catching up between.

/// Nanoseconds per call of `record(writer, index)` over every event index, timed in bursts of 1000 with the writer
/// flushing (untimed) between bursts, and the events the writer dropped.
func steadyStateCost(_ name: String, _ record: (TraceSegmentWriter, Int) -> Void) -> (ns: Double, dropped: UInt64) {
    let writer = TraceSegmentWriter(
        directory: "\(folder)/\(name)", role: .peer, node: "10.0.0.1:5001",
        configuration: .init(segmentBytes: 64 << 20, keepSegments: 1000))
    var recording = 0.0
    var index = 0
    while index < eventCount {
        let end = min(index + 1000, eventCount)
        let start = wallSeconds()
        for offset in index..<end { record(writer, offset) }
        recording += wallSeconds() - start
        writer.flush()
        index = end
    }
    writer.finish()
    return (recording / Double(eventCount) * 1e9, writer.statistics.droppedEvents)
}

do {
    let (ns, dropped) = steadyStateCost("steady") { writer, offset in writer.record(events[offset]) }
    print(
        "record() steady state:  " + String(format: "%.0f", ns)
            + " ns per call on the caller's thread; dropped \(dropped)")
}

// 2c. The datagram path's fast way (what TracingObserver uses for sends and receives): no TraceEvent is built.
do {
    let prefix = TraceLinePrefix(node: "10.0.0.1:5001", role: .peer, run: "5f0c2a9e-3b1d-4c7e-9a3f-2d8e6b4c1a70")
    let messages = events.map { event -> TraceMessageEvent in
        let peer = TraceAddress(ip: 0x0A00_0000 | UInt32(6 + event.seq % 4), port: UInt16(40000 + event.seq % 1000))
        var message = TraceMessageEvent(
            sent: event.kind == .send, message: event.message ?? .get, peer: peer, bytes: event.bytes ?? 0,
            chunks: event.chunks ?? [], cause: event.cause)
        if event.message == .response { (message.responseChunk, message.size) = (5, 1024) }
        if event.message == .query { (message.client, message.ttl) = (peer, event.ttl) }
        return message
    }
    let (ns, dropped) = steadyStateCost("fast") { writer, offset in
        writer.recordMessage(
            messages[offset], prefix: prefix, seq: UInt64(offset + 1), timestamp: events[offset].timestamp)
    }
    print(
        "recordMessage() steady: " + String(format: "%.0f", ns)
            + " ns per call on the caller's thread (send/recv fast path); dropped \(dropped)")
}

// 3. Reading back: TraceReader versus `zcat | jq -c .` on the same segments.
do {
    let start = wallSeconds()
    var count = 0
    let report = try TraceReader.forEachEvent(in: [defaultFolder]) { _ in count += 1 }
    let elapsed = wallSeconds() - start
    print(
        "TraceReader read+decode: \(rate(count, elapsed)) events/s "
            + "(\(String(format: "%.2f", elapsed)) s, \(report.summary))")

    let files = try TraceReader.traceFiles(in: [defaultFolder])
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "zcat \(files.joined(separator: " ")) | jq -c . > /dev/null"]
    let jqStart = wallSeconds()
    try process.run()
    process.waitUntilExit()
    let jqElapsed = wallSeconds() - jqStart
    print(
        "zcat | jq -c .:         \(rate(count, jqElapsed)) events/s (\(String(format: "%.2f", jqElapsed)) s, exit "
            + "\(process.terminationStatus)); TraceReader is \(String(format: "%.1f", jqElapsed / elapsed))x faster")
} catch {
    print("reading failed: \(error)")
}
