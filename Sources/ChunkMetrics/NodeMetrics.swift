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

    private let messages: MessageFamilies
    /// Counters and gauges only a peer has; `nil` for a client.
    private let peer: PeerFamilies?
    /// A peer's datagrams per configured neighbour; `nil` for a client.
    package let neighborTraffic: NeighborTraffic?
    /// A peer's floods, duplicate queries and answer times; `nil` for a client.
    package let floods: FloodMetrics?
    /// Counters only a client has; `nil` for a peer.
    private let client: ClientFamilies?
    /// A client's time to complete and peers fetched from; `nil` for a peer.
    package let completion: ClientCompletionMetrics?
    private let traceWriter: TraceWriterFamilies
    private let process: ProcessFamilies

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
        messages = MessageFamilies(registry: registry, dropReasons: dropReasons)
        registry.gauge(
            "p2p_build_info", "Always 1; the labels say which version and role is running.",
            [("version", version), ("role", role.rawValue)]
        ).set(to: 1)
        let isPeer = role == .peer
        peer = isPeer ? PeerFamilies(registry: registry) : nil
        neighborTraffic = isPeer ? NeighborTraffic(registry: registry, node: node, neighbors: neighbors) : nil
        floods = isPeer ? FloodMetrics(registry: registry) : nil
        let isClient = role == .client
        client = isClient ? ClientFamilies(registry: registry) : nil
        completion = isClient ? ClientCompletionMetrics(registry: registry) : nil
        traceWriter = TraceWriterFamilies(registry: registry)
        process = ProcessFamilies(registry: registry)
    }

    // MARK: Updates

    /// Counts a message sent; a QUERY also counts as forwarded and a RESPONSE as a chunk served.
    package func messageSent(_ type: MetricsMessageType, bytes: Int) {
        messages.sent[type.rawValue].increment(by: Int64(1))
        messages.bytesSent[type.rawValue].increment(by: Int64(max(bytes, 0)))
        switch type {
        case .query: peer?.queriesForwarded.increment(by: Int64(1))
        case .response: peer?.chunksServed.increment(by: Int64(1))
        default: break
        }
    }

    /// Counts a message the kernel refused to send.
    package func sendFailed(_ type: MetricsMessageType) {
        messages.sendErrors[type.rawValue].increment(by: Int64(1))
    }

    /// Counts a valid message received.
    package func messageReceived(_ type: MetricsMessageType, bytes: Int) {
        messages.received[type.rawValue].increment(by: Int64(1))
        messages.bytesReceived[type.rawValue].increment(by: Int64(max(bytes, 0)))
    }

    /// Counts a refused datagram; a reason not registered up front is counted as `other`.
    package func datagramDropped(reason: String) {
        (messages.dropped[reason] ?? messages.droppedOther).increment(by: Int64(1))
    }

    /// Records the time spent handling one datagram of this type.
    package func messageHandled(_ type: MetricsMessageType, seconds: Double) {
        guard seconds.isFinite, seconds >= 0 else { return }
        messages.handling[type.rawValue].record(.nanoseconds(Int64(min(seconds, 1e9) * 1e9)))
    }

    /// Counts a QUERY that reached ttl 0 here.
    package func queryExpired() {
        peer?.queriesExpired.increment(by: Int64(1))
    }

    /// Counts a QUERY whose ttl was above the peer's `--max-ttl`.
    package func queryTTLClamped() {
        peer?.queriesTTLClamped.increment(by: Int64(1))
    }

    /// Counts an answer not sent because its destination was over the response budget.
    package func responseRateLimited(_ type: MetricsMessageType) {
        peer?.responsesRateLimited[type]?.increment(by: Int64(1))
    }

    /// Counts GET ids this peer does not hold.
    package func unknownChunksRequested(_ count: Int) {
        peer?.chunkRequestsUnknown.increment(by: Int64(max(count, 0)))
    }

    /// Sets the peer's neighbour and chunk gauges.
    package func setTopology(neighbors: Int, chunksHeld: Int) {
        peer?.neighborCount.set(to: Double(neighbors))
        peer?.chunksHeld.set(to: Double(chunksHeld))
    }

    /// Counts a client's saved chunk.
    package func clientChunkReceived() {
        client?.chunksReceived.increment(by: Int64(1))
    }

    /// Counts a client's asked chunk that never arrived.
    package func clientChunkMissing() {
        client?.chunksMissing.increment(by: Int64(1))
    }

    /// Counts a message the client sent again.
    package func clientRetried(_ type: MetricsMessageType) {
        client?.retries[type.rawValue].increment(by: Int64(1))
    }

    /// Counts a client ending on its inactivity timeout.
    package func clientTimedOut() {
        client?.timeouts.increment(by: Int64(1))
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
        traceWriter.refresh(from: traceCounters?() ?? TraceCounters())
        process.refresh(from: ProcessSnapshot.current())
    }
}
