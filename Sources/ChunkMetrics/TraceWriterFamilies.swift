import Prometheus

/// The `p2p_trace_*` families: mirrors of the trace writer's own counters, set at each scrape.
struct TraceWriterFamilies {
    let events: Counter
    let bytesWritten: Counter
    let rotations: Counter
    let writeErrors: Counter
    let eventsDropped: Counter
    let queueBytes: Gauge

    init(registry: PrometheusCollectorRegistry) {
        events = registry.counter(
            "p2p_trace_events_total", "Trace events written to segments (0 when tracing is off).")
        bytesWritten = registry.counter(
            "p2p_trace_bytes_written_total", "Compressed bytes written to trace segment files.")
        rotations = registry.counter("p2p_trace_rotations_total", "Trace segments closed and replaced by a new one.")
        writeErrors = registry.counter(
            "p2p_trace_write_errors_total", "Failed trace writes, opens or flushes (full disk, unwritable folder).")
        eventsDropped = registry.counter(
            "p2p_trace_events_dropped_total", "Trace events dropped because the writer fell behind or could not write.")
        queueBytes = registry.gauge("p2p_trace_queue_bytes", "Encoded trace bytes waiting for the compression thread.")
    }

    /// Sets every family to the writer's counts; only a render calls this, so two refreshes never interleave.
    func refresh(from counters: TraceCounters) {
        Self.set(events, counters.events)
        Self.set(bytesWritten, counters.bytesWritten)
        Self.set(rotations, counters.rotations)
        Self.set(writeErrors, counters.writeErrors)
        Self.set(eventsDropped, counters.droppedEvents)
        queueBytes.set(to: Double(counters.queueBytes))
    }

    private static func set(_ counter: Counter, _ value: UInt64) {
        counter.reset()
        counter.increment(by: Int64(clamping: value))
    }
}
