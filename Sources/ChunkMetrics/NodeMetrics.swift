import Prometheus
import Synchronization

/// The metric set of one node (peer or client), registered up front so every series exists from the start.
///
/// Update methods are cheap (a relaxed atomic add; the histogram takes an uncontended lock) and may be called from
/// any thread, typically the event loop that handles datagrams. `render()` reads the trace writer and `/proc` at
/// that moment and returns Prometheus text (format 0.0.4) with families sorted by name.
///
/// Families: every role gets the message, byte, drop, handling-time, build, trace-writer and `process_*` families;
/// a peer adds neighbours, chunks held, forwarded/expired/ttl-clamped queries, chunks served, unknown requests,
/// rate-limited answers, per-neighbour datagrams (`neighborTraffic`) and floods (`floods`); a client adds
/// `p2p_client_*` (with `completion`). The trace-writer families are always present, at 0 when tracing is off.
package final class NodeMetrics: Sendable {
    /// Upper bounds of `p2p_message_handling_seconds`, from 1 µs to 10 ms.
    package static let handlingBuckets: [Duration] = [
        1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000,
        10_000_000,
    ].map { Duration.nanoseconds($0) }

    package let role: MetricsRole
    let registry = PrometheusCollectorRegistry()

    private let messagesSent: [Counter]
    private let messagesReceived: [Counter]
    private let bytesSent: [Counter]
    private let bytesReceived: [Counter]
    private let sendErrors: [Counter]
    private let handling: [DurationHistogram]
    private let dropped: [String: Counter]
    private let droppedOther: Counter

    private let queriesForwarded: Counter?
    private let queriesExpired: Counter?
    private let chunksServed: Counter?
    private let chunkRequestsUnknown: Counter?
    private let queriesTTLClamped: Counter?
    /// `p2p_responses_rate_limited_total`, for CHUNK_INFO and RESPONSE (the budgeted types); empty for a client.
    private let responsesRateLimited: [MetricsMessageType: Counter]
    private let neighborCount: Gauge?
    private let chunksHeld: Gauge?
    /// A peer's datagrams per configured neighbour; `nil` for a client.
    package let neighborTraffic: NeighborTraffic?
    /// A peer's floods, duplicate queries and answer times; `nil` for a client.
    package let floods: FloodMetrics?
    /// A client's time to complete and peers fetched from; `nil` for a peer.
    package let completion: ClientCompletionMetrics?

    private let clientChunksReceived: Counter?
    private let clientChunksMissing: Counter?
    private let clientRetries: [Counter]
    private let clientTimeouts: Counter?

    private let traceEvents: Counter
    private let traceBytesWritten: Counter
    private let traceRotations: Counter
    private let traceWriteErrors: Counter
    private let traceEventsDropped: Counter
    private let traceQueueBytes: Gauge

    private let processCPU: Counter
    private let processResident: Gauge
    private let processVirtual: Gauge
    private let processOpenFDs: Gauge
    private let processMaxFDs: Gauge
    private let processStartTime: Gauge

    private let traceCounters: (@Sendable () -> TraceCounters)?
    /// Serializes scrape-time refreshes with their rendering, so two renders never interleave resets.
    private let renderLock = Mutex(())

    /// Registers the whole metric set.
    ///
    /// - Parameters:
    ///   - role: `peer` or `client`; decides the role-specific families.
    ///   - version: the `version` label of `p2p_build_info`.
    ///   - dropReasons: every `reason` label of `p2p_datagrams_dropped_total`, registered at 0.
    ///   - node: this node's `ip:port`, the `node` label of the per-neighbour families.
    ///   - neighbors: a peer's configured neighbours as `ip:port` labels, in the order `NeighborTraffic` indexes.
    ///   - traceCounters: read at each render; `nil` when tracing is off (the trace families then stay at 0).
    package init(
        role: MetricsRole, version: String, dropReasons: [String], node: String = "", neighbors: [String] = [],
        traceCounters: (@Sendable () -> TraceCounters)? = nil
    ) {
        self.role = role
        self.traceCounters = traceCounters
        let registry = self.registry

        func counter(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Counter {
            registry.makeCounter(descriptor: .init(metricName: name, unitName: "", helpText: help), labels: labels)
        }
        func gauge(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Gauge {
            registry.makeGauge(descriptor: .init(metricName: name, unitName: "", helpText: help), labels: labels)
        }
        func perType(_ name: String, _ help: String) -> [Counter] {
            MetricsMessageType.allCases.map { counter(name, help, [("type", $0.label)]) }
        }

        messagesSent = perType("p2p_messages_sent_total", "Protocol messages sent, by message type.")
        messagesReceived = perType(
            "p2p_messages_received_total", "Valid protocol messages received, by message type.")
        bytesSent = perType("p2p_bytes_sent_total", "UDP payload bytes sent, by message type.")
        bytesReceived = perType("p2p_bytes_received_total", "UDP payload bytes of valid messages received, by type.")
        sendErrors = perType(
            "p2p_send_errors_total", "Messages the kernel refused to send (no route, firewall), by message type.")
        handling = MetricsMessageType.allCases.map {
            registry.makeDurationHistogram(
                descriptor: .init(
                    metricName: "p2p_message_handling_seconds", unitName: "",
                    helpText: "Time to handle one datagram, from decode to the last send handed to the socket."),
                labels: [("type", $0.label)], buckets: Self.handlingBuckets)
        }
        let dropHelp = "Datagrams refused, by reason (malformed, unexpected for this role, unrequested, duplicate)."
        var dropped: [String: Counter] = [:]
        for reason in dropReasons {
            dropped[reason] = counter("p2p_datagrams_dropped_total", dropHelp, [("reason", reason)])
        }
        self.dropped = dropped
        droppedOther = dropped["other"] ?? counter("p2p_datagrams_dropped_total", dropHelp, [("reason", "other")])

        let buildInfo = gauge(
            "p2p_build_info", "Always 1; the labels say which version and role is running.",
            [("version", version), ("role", role.rawValue)])
        buildInfo.set(to: 1)

        if role == .peer {
            queriesForwarded = counter(
                "p2p_queries_forwarded_total", "QUERY messages sent to neighbours (from a HELLO or a forwarded QUERY).")
            queriesExpired = counter(
                "p2p_queries_expired_total", "QUERY messages that reached ttl 0 here and were not forwarded.")
            chunksServed = counter("p2p_chunks_served_total", "RESPONSE messages sent (one per chunk served).")
            chunkRequestsUnknown = counter(
                "p2p_chunk_requests_unknown_total", "Chunk ids asked for in GET messages that this peer does not hold.")
            queriesTTLClamped = counter(
                "p2p_queries_ttl_clamped_total", "QUERY messages whose ttl was above --max-ttl, handled as if at it.")
            var limited: [MetricsMessageType: Counter] = [:]
            for type in [MetricsMessageType.chunkInfo, .response] {
                limited[type] = counter(
                    "p2p_responses_rate_limited_total",
                    "Answers not sent because their destination address was over --response-rate-limit, by type.",
                    [("type", type.label)])
            }
            responsesRateLimited = limited
            neighborCount = gauge("p2p_neighbors", "Neighbours this peer floods queries to.")
            chunksHeld = gauge("p2p_chunks_held", "Chunks this peer holds and serves.")
            neighborTraffic = NeighborTraffic(registry: registry, node: node, neighbors: neighbors)
            floods = FloodMetrics(registry: registry)
        } else {
            (queriesForwarded, queriesExpired, chunksServed, chunkRequestsUnknown) = (nil, nil, nil, nil)
            queriesTTLClamped = nil
            responsesRateLimited = [:]
            (neighborCount, chunksHeld) = (nil, nil)
            (neighborTraffic, floods) = (nil, nil)
        }

        if role == .client {
            clientChunksReceived = counter("p2p_client_chunks_received_total", "Asked chunks received and saved.")
            clientChunksMissing = counter(
                "p2p_client_chunks_missing_total", "Asked chunks that had not arrived when the client ended.")
            clientRetries = perType("p2p_client_retries_total", "Messages the client sent again, by message type.")
            clientTimeouts = counter(
                "p2p_client_inactivity_timeouts_total", "Times the client ended on its inactivity timeout.")
            completion = ClientCompletionMetrics(registry: registry)
        } else {
            (clientChunksReceived, clientChunksMissing, clientTimeouts) = (nil, nil, nil)
            clientRetries = []
            completion = nil
        }

        traceEvents = counter("p2p_trace_events_total", "Trace events written to segments (0 when tracing is off).")
        traceBytesWritten = counter(
            "p2p_trace_bytes_written_total", "Compressed bytes written to trace segment files.")
        traceRotations = counter("p2p_trace_rotations_total", "Trace segments closed and replaced by a new one.")
        traceWriteErrors = counter(
            "p2p_trace_write_errors_total", "Failed trace writes, opens or flushes (full disk, unwritable folder).")
        traceEventsDropped = counter(
            "p2p_trace_events_dropped_total", "Trace events dropped because the writer fell behind or could not write.")
        traceQueueBytes = gauge("p2p_trace_queue_bytes", "Encoded trace bytes waiting for the compression thread.")

        processCPU = counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.")
        processResident = gauge("process_resident_memory_bytes", "Resident memory size in bytes.")
        processVirtual = gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.")
        processOpenFDs = gauge("process_open_fds", "Number of open file descriptors.")
        processMaxFDs = gauge("process_max_fds", "Maximum number of open file descriptors.")
        processStartTime = gauge(
            "process_start_time_seconds", "Start time of the process since unix epoch in seconds.")
    }

    // MARK: Updates

    /// Counts a message sent; a QUERY also counts as forwarded and a RESPONSE as a chunk served.
    package func messageSent(_ type: MetricsMessageType, bytes: Int) {
        messagesSent[type.rawValue].increment(by: Int64(1))
        bytesSent[type.rawValue].increment(by: Int64(max(bytes, 0)))
        switch type {
        case .query: queriesForwarded?.increment(by: Int64(1))
        case .response: chunksServed?.increment(by: Int64(1))
        default: break
        }
    }

    /// Counts a message the kernel refused to send.
    package func sendFailed(_ type: MetricsMessageType) {
        sendErrors[type.rawValue].increment(by: Int64(1))
    }

    /// Counts a valid message received.
    package func messageReceived(_ type: MetricsMessageType, bytes: Int) {
        messagesReceived[type.rawValue].increment(by: Int64(1))
        bytesReceived[type.rawValue].increment(by: Int64(max(bytes, 0)))
    }

    /// Counts a refused datagram; a reason not registered up front is counted as `other`.
    package func datagramDropped(reason: String) {
        (dropped[reason] ?? droppedOther).increment(by: Int64(1))
    }

    /// Records the time spent handling one datagram of this type.
    package func messageHandled(_ type: MetricsMessageType, seconds: Double) {
        guard seconds.isFinite, seconds >= 0 else { return }
        handling[type.rawValue].record(.nanoseconds(Int64(min(seconds, 1e9) * 1e9)))
    }

    /// Counts a QUERY that reached ttl 0 here.
    package func queryExpired() {
        queriesExpired?.increment(by: Int64(1))
    }

    /// Counts a QUERY whose ttl was above the peer's `--max-ttl`.
    package func queryTTLClamped() {
        queriesTTLClamped?.increment(by: Int64(1))
    }

    /// Counts an answer not sent because its destination was over the response budget.
    package func responseRateLimited(_ type: MetricsMessageType) {
        responsesRateLimited[type]?.increment(by: Int64(1))
    }

    /// Counts GET ids this peer does not hold.
    package func unknownChunksRequested(_ count: Int) {
        chunkRequestsUnknown?.increment(by: Int64(max(count, 0)))
    }

    /// Sets the peer's neighbour and chunk gauges.
    package func setTopology(neighbors: Int, chunksHeld: Int) {
        neighborCount?.set(to: Double(neighbors))
        self.chunksHeld?.set(to: Double(chunksHeld))
    }

    /// Counts a client's saved chunk.
    package func clientChunkReceived() {
        clientChunksReceived?.increment(by: Int64(1))
    }

    /// Counts a client's asked chunk that never arrived.
    package func clientChunkMissing() {
        clientChunksMissing?.increment(by: Int64(1))
    }

    /// Counts a message the client sent again.
    package func clientRetried(_ type: MetricsMessageType) {
        if !clientRetries.isEmpty { clientRetries[type.rawValue].increment(by: Int64(1)) }
    }

    /// Counts a client ending on its inactivity timeout.
    package func clientTimedOut() {
        clientTimeouts?.increment(by: Int64(1))
    }

    // MARK: Rendering

    /// The current metrics as Prometheus text (format 0.0.4), families sorted by name.
    package func render() -> [UInt8] {
        renderLock.withLock { _ in
            refreshScrapeTimeValues()
            var text: [UInt8] = []
            text.reserveCapacity(16 << 10)
            registry.emit(into: &text)
            return ExpositionOrdering.ordered(text)
        }
    }

    private func refreshScrapeTimeValues() {
        let trace = traceCounters?() ?? TraceCounters()
        set(traceEvents, trace.events)
        set(traceBytesWritten, trace.bytesWritten)
        set(traceRotations, trace.rotations)
        set(traceWriteErrors, trace.writeErrors)
        set(traceEventsDropped, trace.droppedEvents)
        traceQueueBytes.set(to: Double(trace.queueBytes))

        let process = ProcessSnapshot.current()
        processCPU.reset()
        processCPU.increment(by: process.cpuSeconds)
        processResident.set(to: process.residentMemoryBytes)
        processVirtual.set(to: process.virtualMemoryBytes)
        processOpenFDs.set(to: process.openFileDescriptors)
        processMaxFDs.set(to: process.maxFileDescriptors)
        processStartTime.set(to: process.startTimeSeconds)
    }

    /// Sets a counter that mirrors a count kept elsewhere; only `render()` calls this, under `renderLock`.
    private func set(_ counter: Counter, _ value: UInt64) {
        counter.reset()
        counter.increment(by: Int64(clamping: value))
    }
}
