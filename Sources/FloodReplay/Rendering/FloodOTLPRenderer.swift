/// Floods as OpenTelemetry traces, in the OTLP/JSON encoding of an `ExportTraceServiceRequest`: what Jaeger,
/// Grafana Tempo or an OpenTelemetry Collector accept (`POST /v1/traces`), to look at floods as waterfalls.
///
/// - each flood is one trace; its id is derived from the flood (session, start, client, contact), so the same
///   traces give the same ids on every run;
/// - each visit (the HELLO at the contact peer, a QUERY at any peer) is one span, child of the visit that forwarded
///   the query (a root when the sender is untraced); it lasts from the arrival to the peer's last send for it;
/// - CHUNK_INFO answers, RESPONSEs the client got from that peer and lost datagrams are span events;
/// - every node is one resource (`service.name` `peer <address>`), holding its spans of every flood.
///
/// Trace and span ids are hex strings and 64-bit integers decimal strings, as the OTLP/JSON specification says.
/// Written with `JSONWriter`: through `Codable` and `JSONEncoder` the export of a 300,000-event set (59 MB) took
/// 2 to 3 times as long (15 to 22 s against 6 to 7.5 s).
package enum FloodOTLPRenderer {
    /// SPAN_KIND_CONSUMER: the span stands for handling a received message.
    static let consumerKind = 5

    /// Writes the request for `floods` to `out`.
    package static func render(_ floods: [Flood], to out: ReplayOutputStream) {
        var byNode: [String: [Span]] = [:]
        for flood in floods {
            for span in spans(of: flood) { byNode[flood.visits[span.visit].node, default: []].append(span) }
        }
        var json = JSONWriter(out)
        json.openObject()
        json.openArray("resourceSpans")
        for node in byNode.keys.sorted(by: ReplayFormat.addressLess) {
            json.openObject()
            json.openObject("resource")
            json.openArray("attributes")
            attribute("service.name", "peer \(node)", to: &json)
            attribute("p2p.node", node, to: &json)
            attribute("p2p.role", "peer", to: &json)
            json.closeArray()
            json.closeObject()
            json.openArray("scopeSpans")
            json.openObject()
            json.openObject("scope")
            json.string("name", "p2ptrace")
            json.closeObject()
            json.openArray("spans")
            for span in byNode[node] ?? [] { write(span, to: &json) }
            json.closeArray()
            json.closeObject()
            json.closeArray()
            json.closeObject()
        }
        json.closeArray()
        json.closeObject()
        out.write("\n")
    }

    /// The trace id of `flood`: 32 hex digits.
    package static func traceID(_ flood: Flood) -> String {
        let key = "\(flood.session) \(flood.start) \(flood.client) \(flood.contact) \(flood.askedChunks)"
        return hex(nonZeroHash(key, seed: 0x6a09_e667_f3bc_c908)) + hex(nonZeroHash(key, seed: 0xbb67_ae85_84ca_a73b))
    }

    /// The span id of visit `visit` of `flood`: 16 hex digits.
    package static func spanID(_ flood: Flood, visit: Int) -> String {
        hex(nonZeroHash(traceID(flood) + " \(visit)", seed: 0x3c6e_f372_fe94_f82b))
    }

    private struct SpanEvent {
        var time: Int64
        var name: String
        var attributes: [(String, String)]
    }

    /// One visit with what the span shows of it.
    private struct Span {
        var flood: Flood
        var visit: Int
        var end: Int64
        var events: [SpanEvent]
    }

    /// The spans of `flood`, in visit order: every answer, delivery and loss placed on its visit in one pass.
    private static func spans(of flood: Flood) -> [Span] {
        var spans = flood.visits.map { Span(flood: flood, visit: $0.id, end: $0.offset, events: []) }
        guard !spans.isEmpty else { return [] }
        var firstVisit: [String: Int] = [:]
        for visit in flood.visits where firstVisit[visit.node] == nil { firstVisit[visit.node] = visit.id }
        for visit in flood.visits {
            if let parent = visit.parent {
                spans[parent].end = max(spans[parent].end, visit.sentOffset ?? visit.offset)
            }
        }
        for answer in flood.answers where spans.indices.contains(answer.visit) {
            var attributes = [("p2p.chunks", ReplayFormat.chunkList(answer.chunks)), ("p2p.to", flood.client)]
            if let received = answer.receivedOffset { attributes.append(("p2p.received_offset_us", "\(received)")) }
            spans[answer.visit].events.append(
                SpanEvent(time: answer.sentOffset, name: "CHUNK_INFO sent", attributes: attributes))
        }
        for delivery in flood.deliveries {
            guard let visit = firstVisit[delivery.peer] else { continue }
            spans[visit].events.append(
                SpanEvent(
                    time: delivery.offset, name: delivery.seenByClient ? "RESPONSE received" : "RESPONSE sent",
                    attributes: [("p2p.chunk", "\(delivery.chunk)"), ("p2p.size", "\(delivery.size)")]))
        }
        for lost in flood.lost {
            let visit = lost.visit ?? firstVisit[lost.from] ?? 0
            guard spans.indices.contains(visit) else { continue }
            spans[visit].events.append(
                SpanEvent(
                    time: lost.offset, name: "\(lost.message.rawValue.uppercased()) lost",
                    attributes: [
                        ("p2p.from", lost.from), ("p2p.to", lost.to),
                        ("p2p.chunks", ReplayFormat.chunkList(lost.chunks)),
                        ("p2p.reason", lost.reason.rawValue),
                    ]))
        }
        for i in spans.indices {
            spans[i].events.sort { $0.time < $1.time }
            spans[i].end = max(spans[i].end, spans[i].events.last?.time ?? spans[i].end)
        }
        return spans
    }

    private static func write(_ span: Span, to json: inout JSONWriter) {
        let flood = span.flood
        let visit = flood.visits[span.visit]
        json.openObject()
        json.string("traceId", traceID(flood))
        json.string("spanId", spanID(flood, visit: visit.id))
        if let parent = visit.parent { json.string("parentSpanId", spanID(flood, visit: parent)) }
        json.string("name", visit.ttl == nil ? "HELLO" : "QUERY")
        json.number("kind", consumerKind)
        json.string("startTimeUnixNano", nanos(flood.start + visit.offset))
        json.string("endTimeUnixNano", nanos(flood.start + span.end))
        json.openArray("attributes")
        attribute("p2p.flood", "\(flood.index)", to: &json)
        attribute("p2p.visit", "\(visit.id)", to: &json)
        attribute("p2p.client", flood.client, to: &json)
        attribute("p2p.from", visit.from, to: &json)
        attribute("p2p.hop", integer: visit.hop, to: &json)
        if let ttl = visit.ttl { attribute("p2p.ttl", integer: ttl, to: &json) }
        if let first = visit.duplicateOf { attribute("p2p.duplicate_of", integer: first, to: &json) }
        if visit.expired { attribute("p2p.expired", "true", to: &json) }
        if visit.senderUntraced { attribute("p2p.sender_untraced", "true", to: &json) }
        if !visit.forwardedTo.isEmpty {
            attribute("p2p.forwarded_to", visit.forwardedTo.joined(separator: ","), to: &json)
        }
        json.closeArray()
        json.openArray("events")
        for event in span.events {
            json.openObject()
            json.string("timeUnixNano", nanos(flood.start + event.time))
            json.string("name", event.name)
            json.openArray("attributes")
            for (key, value) in event.attributes { attribute(key, value, to: &json) }
            json.closeArray()
            json.closeObject()
        }
        json.closeArray()
        json.closeObject()
    }

    private static func attribute(_ key: String, _ value: String, to json: inout JSONWriter) {
        json.openObject()
        json.string("key", key)
        json.openObject("value")
        json.string("stringValue", value)
        json.closeObject()
        json.closeObject()
    }

    private static func attribute(_ key: String, integer: Int, to json: inout JSONWriter) {
        json.openObject()
        json.string("key", key)
        json.openObject("value")
        json.string("intValue", String(integer))
        json.closeObject()
        json.closeObject()
    }

    private static func nanos(_ micros: Int64) -> String {
        String(max(0, micros) &* 1000)
    }

    /// FNV-1a over the UTF-8 of `text`, started at `seed`, mixed once more; never 0 (an invalid OTLP id).
    private static func nonZeroHash(_ text: String, seed: UInt64) -> UInt64 {
        var hash = seed
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash == 0 ? 1 : hash
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
