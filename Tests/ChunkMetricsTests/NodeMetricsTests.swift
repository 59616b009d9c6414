import TestSupport
import Testing

@testable import ChunkMetrics

@Suite("Rendering of the node metric set")
struct NodeMetricsTests {
    static let reasons = [
        "truncated", "trailing_bytes", "size_mismatch", "unknown_type", "too_long", "unexpected", "unrequested",
        "duplicate",
    ]

    static func busyPeer() -> NodeMetrics {
        let metrics = NodeMetrics(
            role: .peer, version: "1.2.3", dropReasons: reasons, node: "10.0.0.4:5004", neighbors: ["10.0.0.5:5005"]
        ) {
            TraceCounters(events: 42, bytesWritten: 4096, rotations: 2, writeErrors: 1, droppedEvents: 3, queueBytes: 7)
        }
        metrics.setTopology(neighbors: 3, chunksHeld: 4)
        metrics.messageReceived(.hello, bytes: 14)
        metrics.messageSent(.query, bytes: 22)
        metrics.messageSent(.query, bytes: 22)
        metrics.messageSent(.chunkInfo, bytes: 8)
        metrics.messageReceived(.get, bytes: 6)
        metrics.messageSent(.response, bytes: 1030)
        metrics.unknownChunksRequested(2)
        metrics.queryExpired()
        metrics.datagramDropped(reason: "truncated")
        metrics.datagramDropped(reason: "something new")
        for seconds in [0.000_000_5, 0.000_003, 0.000_003, 0.000_2, 0.004, 0.5] {
            metrics.messageHandled(.get, seconds: seconds)
        }
        metrics.messageHandled(.hello, seconds: 0.000_02)
        return metrics
    }

    @Test("every message family has a series per type from the start, at 0")
    func preRegisteredSeries() throws {
        let parsed = try ParsedExposition(NodeMetrics(role: .peer, version: "t", dropReasons: Self.reasons).render())
        for family in [
            "p2p_messages_sent_total", "p2p_messages_received_total", "p2p_bytes_sent_total",
            "p2p_bytes_received_total",
        ] {
            for type in ["hello", "query", "chunk_info", "get", "response"] {
                #expect(parsed.value(family, ["type": type]) == 0, "\(family){type=\"\(type)\"}")
            }
        }
        for reason in Self.reasons {
            #expect(parsed.value("p2p_datagrams_dropped_total", ["reason": reason]) == 0)
        }
        for name in [
            "p2p_queries_forwarded_total", "p2p_queries_expired_total", "p2p_chunks_served_total",
            "p2p_chunk_requests_unknown_total", "p2p_neighbors", "p2p_chunks_held", "p2p_trace_events_total",
            "p2p_trace_bytes_written_total", "p2p_trace_rotations_total", "p2p_trace_write_errors_total",
            "p2p_trace_events_dropped_total", "p2p_trace_queue_bytes",
        ] {
            #expect(parsed.value(name) == 0, "\(name)")
        }
        #expect(parsed.value("p2p_build_info", ["version": "t", "role": "peer"]) == 1)
        #expect(parsed.value("p2p_client_chunks_received_total") == nil)
    }

    @Test("updates show up in the matching series")
    func updatesAreCounted() throws {
        let parsed = try ParsedExposition(Self.busyPeer().render())
        #expect(parsed.value("p2p_messages_sent_total", ["type": "query"]) == 2)
        #expect(parsed.value("p2p_bytes_sent_total", ["type": "query"]) == 44)
        #expect(parsed.value("p2p_messages_received_total", ["type": "hello"]) == 1)
        #expect(parsed.value("p2p_bytes_received_total", ["type": "get"]) == 6)
        #expect(parsed.value("p2p_queries_forwarded_total") == 2)
        #expect(parsed.value("p2p_chunks_served_total") == 1)
        #expect(parsed.value("p2p_chunk_requests_unknown_total") == 2)
        #expect(parsed.value("p2p_queries_expired_total") == 1)
        #expect(parsed.value("p2p_datagrams_dropped_total", ["reason": "truncated"]) == 1)
        #expect(parsed.value("p2p_datagrams_dropped_total", ["reason": "other"]) == 1)
        #expect(parsed.value("p2p_neighbors") == 3)
        #expect(parsed.value("p2p_chunks_held") == 4)
        #expect(parsed.value("p2p_trace_events_total") == 42)
        #expect(parsed.value("p2p_trace_bytes_written_total") == 4096)
        #expect(parsed.value("p2p_trace_rotations_total") == 2)
        #expect(parsed.value("p2p_trace_write_errors_total") == 1)
        #expect(parsed.value("p2p_trace_events_dropped_total") == 3)
        #expect(parsed.value("p2p_trace_queue_bytes") == 7)
        #expect(parsed.value("p2p_message_handling_seconds_count", ["type": "get"]) == 6)
        #expect(parsed.value("p2p_message_handling_seconds_bucket", ["type": "get", "le": "0.000001"]) == 1)
        #expect(parsed.value("p2p_message_handling_seconds_bucket", ["type": "get", "le": "0.000005"]) == 3)
        #expect(parsed.value("p2p_message_handling_seconds_bucket", ["type": "get", "le": "0.01"]) == 5)
        #expect(parsed.value("p2p_message_handling_seconds_bucket", ["type": "get", "le": "+Inf"]) == 6)
    }

    @Test("the process metrics describe this process")
    func processMetrics() throws {
        let parsed = try ParsedExposition(Self.busyPeer().render())
        let resident = try #require(parsed.value("process_resident_memory_bytes"))
        let virtual = try #require(parsed.value("process_virtual_memory_bytes"))
        let openFDs = try #require(parsed.value("process_open_fds"))
        let maxFDs = try #require(parsed.value("process_max_fds"))
        let start = try #require(parsed.value("process_start_time_seconds"))
        let cpu = try #require(parsed.value("process_cpu_seconds_total"))
        #expect(resident > 1_000_000)
        #expect(virtual >= resident)
        #expect(openFDs >= 3 && openFDs <= maxFDs)
        // The test process started after 2020 and not in the future (a generous bound, not a timing check).
        #expect(start > 1_577_836_800 && start < 4_102_444_800)
        #expect(cpu > 0)
    }

    @Test("each histogram series has cumulative buckets and a +Inf bucket equal to its count")
    func histogramsAreConsistent() throws {
        let parsed = try ParsedExposition(Self.busyPeer().render())
        let family = try #require(parsed.families.first { $0.name == "p2p_message_handling_seconds" })
        #expect(family.type == "histogram")
        for type in ["hello", "query", "chunk_info", "get", "response"] {
            let buckets = family.samples.filter { $0.name.hasSuffix("_bucket") && $0.label("type") == type }
            #expect(buckets.count == NodeMetrics.handlingBuckets.count + 1)
            #expect(buckets.last?.label("le") == "+Inf")
            let bounds = buckets.dropLast().compactMap { $0.label("le").flatMap(Double.init) }
            #expect(bounds == bounds.sorted() && Set(bounds).count == bounds.count)
            let counts = buckets.map(\.value)
            #expect(counts == counts.sorted(), "buckets of \(type) are not cumulative: \(counts)")
            let count = parsed.value("p2p_message_handling_seconds_count", ["type": type])
            #expect(buckets.last?.value == count)
            #expect(parsed.value("p2p_message_handling_seconds_sum", ["type": type]) != nil)
        }
    }

    @Test("every family has HELP and TYPE, no series appears twice, label names keep one order per family")
    func familiesAreWellFormed() throws {
        for role in MetricsRole.allCases {
            let parsed = try ParsedExposition(NodeMetrics(role: role, version: "v", dropReasons: Self.reasons).render())
            #expect(Set(parsed.families.map(\.name)).count == parsed.families.count)
            for family in parsed.families {
                #expect(family.help?.isEmpty == false, "\(family.name) has no help")
                #expect(["counter", "gauge", "histogram"].contains(family.type ?? ""), "\(family.name)")
                let labelOrders = Set(family.samples.map { $0.labels.map(\.0).filter { $0 != "le" } })
                #expect(labelOrders.count == 1, "\(family.name) mixes label orders: \(labelOrders)")
                if family.type == "counter" {
                    #expect(family.name.hasSuffix("_total"), "\(family.name)")
                }
            }
            let series = parsed.samples.map(\.series)
            #expect(Set(series).count == series.count)
        }
    }

    @Test("the client registers its own families instead of the peer-only ones")
    func clientFamilies() throws {
        let metrics = NodeMetrics(role: .client, version: "v", dropReasons: Self.reasons)
        metrics.clientChunkReceived()
        metrics.clientChunkReceived()
        metrics.clientChunkMissing()
        metrics.clientRetried(.get)
        metrics.clientTimedOut()
        let parsed = try ParsedExposition(metrics.render())
        #expect(parsed.value("p2p_client_chunks_received_total") == 2)
        #expect(parsed.value("p2p_client_chunks_missing_total") == 1)
        #expect(parsed.value("p2p_client_retries_total", ["type": "get"]) == 1)
        #expect(parsed.value("p2p_client_retries_total", ["type": "hello"]) == 0)
        #expect(parsed.value("p2p_client_inactivity_timeouts_total") == 1)
        #expect(parsed.value("p2p_neighbors") == nil)
        #expect(parsed.value("p2p_build_info", ["version": "v", "role": "client"]) == 1)
    }

    @Test("a peer counts datagrams per configured neighbour and type, every other address as 'other'")
    func neighborTraffic() throws {
        let neighbors = ["10.0.0.2:5002", "10.0.0.3:5003"]
        let metrics = NodeMetrics(
            role: .peer, version: "v", dropReasons: Self.reasons, node: "10.0.0.1:5001", neighbors: neighbors)
        let traffic = try #require(metrics.neighborTraffic)
        traffic.sent(.query, to: 1)
        traffic.sent(.query, to: 1)
        traffic.sent(.chunkInfo, to: nil)
        traffic.sent(.query, to: 7)
        traffic.received(.query, from: 0)
        traffic.received(.hello, from: nil)
        let parsed = try ParsedExposition(metrics.render())
        func sent(_ neighbor: String, _ type: String) -> Double? {
            parsed.value(
                "p2p_neighbor_datagrams_sent_total", ["node": "10.0.0.1:5001", "neighbor": neighbor, "type": type])
        }
        func received(_ neighbor: String, _ type: String) -> Double? {
            parsed.value(
                "p2p_neighbor_datagrams_received_total", ["node": "10.0.0.1:5001", "neighbor": neighbor, "type": type])
        }
        #expect(sent("10.0.0.3:5003", "query") == 2)
        #expect(sent("10.0.0.2:5002", "query") == 0)
        #expect(sent("other", "chunk_info") == 1)
        #expect(sent("other", "query") == 1, "an index that is no neighbour counts as other")
        #expect(received("10.0.0.2:5002", "query") == 1)
        #expect(received("other", "hello") == 1)
        for family in ["p2p_neighbor_datagrams_sent_total", "p2p_neighbor_datagrams_received_total"] {
            let series = parsed.samples.filter { $0.name == family }
            #expect(series.count == (neighbors.count + 1) * 5, "\(family): one series per neighbour, other, type")
            #expect(Set(series.compactMap { $0.label("neighbor") }) == Set(neighbors + ["other"]))
        }
    }

    @Test("a peer counts floods, duplicate queries and answer times; a client its completion and peers")
    func floodAndCompletionFamilies() throws {
        let peer = NodeMetrics(role: .peer, version: "v", dropReasons: Self.reasons)
        let floods = try #require(peer.floods)
        floods.floodStarted()
        floods.duplicateQuery()
        floods.duplicateQuery()
        floods.queryAnswered(after: .microseconds(3))
        floods.queryAnswered(after: .milliseconds(20))
        let parsedPeer = try ParsedExposition(peer.render())
        #expect(parsedPeer.value("p2p_floods_started_total") == 1)
        #expect(parsedPeer.value("p2p_queries_duplicate_total") == 2)
        #expect(parsedPeer.value("p2p_query_answer_seconds_count") == 2)
        #expect(parsedPeer.value("p2p_query_answer_seconds_bucket", ["le": "0.000005"]) == 1)
        #expect(parsedPeer.value("p2p_query_answer_seconds_bucket", ["le": "0.1"]) == 2)
        #expect(parsedPeer.value("p2p_client_completion_seconds_count") == nil)
        #expect(peer.completion == nil)

        let client = NodeMetrics(role: .client, version: "v", dropReasons: Self.reasons)
        #expect(client.floods == nil && client.neighborTraffic == nil)
        try #require(client.completion).finished(lastChunkAfter: .milliseconds(30), peers: 4)
        let parsedClient = try ParsedExposition(client.render())
        #expect(parsedClient.value("p2p_client_completion_seconds_count") == 1)
        #expect(parsedClient.value("p2p_client_completion_seconds_bucket", ["le": "0.025"]) == 0)
        #expect(parsedClient.value("p2p_client_completion_seconds_bucket", ["le": "0.05"]) == 1)
        #expect(parsedClient.value("p2p_client_peers_fetched_from") == 4)
        #expect(parsedClient.value("p2p_floods_started_total") == nil)
    }

    @Test("families are sorted by name and series by labels, the same in two renders and two registries")
    func orderIsStable() throws {
        func shape(_ metrics: NodeMetrics) throws -> [String] {
            try ParsedExposition(metrics.render()).samples.map(\.series)
        }
        let first = Self.busyPeer()
        let second = Self.busyPeer()
        let names = try ParsedExposition(first.render()).families.map(\.name)
        #expect(names == names.sorted())
        #expect(try shape(first) == shape(first))
        #expect(try shape(first) == shape(second))
        let sent = try ParsedExposition(first.render()).families.first { $0.name == "p2p_messages_sent_total" }
        #expect(sent?.samples.compactMap { $0.label("type") } == ["chunk_info", "get", "hello", "query", "response"])
    }

    @Test("promtool accepts the rendered text of both roles")
    func promtoolAccepts() async throws {
        for metrics in [Self.busyPeer(), NodeMetrics(role: .client, version: "v", dropReasons: Self.reasons)] {
            let result = try await ProcessRunner.run(
                "/usr/bin/promtool", ["check", "metrics"], input: metrics.render())
            #expect(result.status == 0, "promtool: \(result.stderr) \(result.stdout)")
            #expect(result.stderr.isEmpty && result.stdout.isEmpty, "promtool: \(result.stderr)")
        }
    }
}
