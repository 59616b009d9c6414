import ChunkTrace
import Plurals

/// One request of a client as the client side sees it: a flood and its HELLO retries, the time window up to the
/// client's next request, and the client's traced streams.
private struct ClientRequest {
    let key: FloodReplayer.SessionNode
    /// The flood's start, less the clock skew allowed between nodes.
    let from: Int64
    /// The start of the client's next request (`Int64.max` when there is none).
    let until: Int64
    let start: Int64
    let asked: Set<UInt16>
    let clientStreams: [Int32]
}

/// What the client's trace says arrived for one request.
private struct ClientReading {
    var firstReceive: [UInt16: ChunkDelivery] = [:]
    var lastReceive: [String: (time: Int64, size: Int)] = [:]
    var saved: [UInt16: ChunkDelivery] = [:]
    var sawSaved = false

    /// The chunks the client saved, or (for a client that logs no `saved`) the first RESPONSE of each.
    var deliveries: [UInt16: ChunkDelivery] { sawSaved ? saved : firstReceive }
}

extension FloodReplayer.Run {
    /// Reads the client side of each request: CHUNK_INFO receipt, GET/RESPONSE, chunks saved and missing, and
    /// GETs and RESPONSEs that were lost.
    mutating func attachClientSides() {
        let responsesTo = responsesByReceiver()
        let (nextStart, retries) = groupHelloRetries()
        for f in building.indices where building[f].flood.retryOf == nil {
            gatherAnnounced(f, retries: retries[f] ?? [])
            let key = FloodReplayer.SessionNode(session: building[f].sessionIndex, node: building[f].clientNode)
            let request = ClientRequest(
                key: key, from: building[f].flood.start - index.clockSkew, until: nextStart[f],
                start: building[f].flood.start, asked: Set(building[f].flood.askedChunks),
                clientStreams: building[f].clientStreams)
            var deliveries = readClientStreams(of: request, flood: f)
            addPeerResponses(responsesTo[key] ?? [], of: request, flood: f, deliveries: &deliveries)
            building[f].flood.deliveries = deliveries.values.sorted {
                $0.offset != $1.offset ? $0.offset < $1.offset : $0.chunk < $1.chunk
            }
        }
    }

    /// The RESPONSEs peers sent, by session and receiver, in time order.
    private func responsesByReceiver() -> [FloodReplayer.SessionNode: [Int32]] {
        var responsesTo: [FloodReplayer.SessionNode: [Int32]] = [:]
        for stream in index.streams where stream.role == .peer {
            for e in stream.events {
                let event = index.events[Int(e)]
                if event.kind == .send, event.message == .response {
                    responsesTo[FloodReplayer.SessionNode(session: stream.session, node: event.peer), default: []]
                        .append(e)
                }
            }
        }
        for key in responsesTo.keys {
            responsesTo[key]?.sort { index.events[Int($0)].timestamp < index.events[Int($1)].timestamp }
        }
        return responsesTo
    }

    /// Finds each flood's client streams, and groups the HELLOs the same client re-sent for the same request
    /// (hello retries) into one request: its GETs, RESPONSEs and missing chunks belong to the first flood, up to
    /// the client's next request.
    ///
    /// - Returns: for each flood, the start of its client's next request; for each first flood, its retries.
    private mutating func groupHelloRetries() -> (nextStart: [Int64], retries: [Int: [Int]]) {
        var nextStart: [Int64] = Array(repeating: .max, count: building.count)
        var requestOfClient: [FloodReplayer.SessionNode: Int] = [:]
        var retries: [Int: [Int]] = [:]
        for f in building.indices {
            let key = FloodReplayer.SessionNode(session: building[f].sessionIndex, node: building[f].clientNode)
            let start = building[f].flood.start
            building[f].clientStreams = (nodeStreams[key] ?? []).filter {
                index.streams[Int($0)].role == .client
                    && index.streams[Int($0)].covers(start, slack: index.maxLatency)
            }
            building[f].flood.clientTraced = !building[f].clientStreams.isEmpty
            if let first = requestOfClient[key] {
                let sameRequest =
                    building[first].flood.askedChunks == building[f].flood.askedChunks
                    && start - building[retries[first]?.last ?? first].flood.start <= orphanWindow
                    && building[first].clientStreams == building[f].clientStreams
                if sameRequest {
                    building[f].flood.retryOf = first + 1
                    retries[first, default: []].append(f)
                    continue
                }
                nextStart[first] = start
            }
            requestOfClient[key] = f
        }
        return (nextStart, retries)
    }

    /// Collects the chunks announced to flood `f` and its `retries`, and notes the retries on both sides.
    private mutating func gatherAnnounced(_ f: Int, retries: [Int]) {
        var announced = Set(building[f].flood.answers.flatMap(\.chunks))
        for r in retries {
            announced.formUnion(building[r].flood.answers.flatMap(\.chunks))
            building[r].flood.notes.append(
                "this HELLO repeats the request of flood #\(f + 1) (same client): its chunks are listed there")
        }
        building[f].announced = announced
        if !retries.isEmpty {
            building[f].flood.notes.append(
                "the client re-sent its HELLO \(counted(retries.count, "time")): floods "
                    + retries.map { "#\($0 + 1)" }.joined(separator: ", "))
        }
    }

    /// The chunks the client's own trace shows arriving for `request`; records its missing chunks and lost GETs.
    private mutating func readClientStreams(of request: ClientRequest, flood f: Int) -> [UInt16: ChunkDelivery] {
        guard !request.clientStreams.isEmpty else { return [:] }
        var reading = ClientReading()
        for s in request.clientStreams {
            for e in index.streams[Int(s)].events {
                let event = index.events[Int(e)]
                guard event.timestamp >= request.from, event.timestamp < request.until,
                    let chunk = chunks(event.chunks).first
                else { continue }
                readClientEvent(e, chunk: chunk, of: request, flood: f, into: &reading)
            }
        }
        return reading.deliveries
    }

    private mutating func readClientEvent(
        _ e: Int32, chunk: UInt16, of request: ClientRequest, flood f: Int, into reading: inout ClientReading
    ) {
        let event = index.events[Int(e)]
        switch event.kind {
        case .recv where event.message == .response && request.asked.contains(chunk):
            let delivery = ChunkDelivery(
                chunk: chunk, peer: name(event.peer), offset: event.timestamp - request.start,
                seenByClient: true, size: Int(event.size))
            if reading.firstReceive[chunk] == nil { reading.firstReceive[chunk] = delivery }
            reading.lastReceive["\(chunk) \(event.peer)"] = (event.timestamp, Int(event.size))
        case .saved:
            reading.sawSaved = true
            if reading.saved[chunk] == nil {
                let received = reading.lastReceive["\(chunk) \(event.peer)"]
                reading.saved[chunk] = ChunkDelivery(
                    chunk: chunk, peer: name(event.peer),
                    offset: (received?.time ?? event.timestamp) - request.start, seenByClient: true,
                    size: received?.size ?? Int(event.size))
            }
        case .missing:
            building[f].flood.clientMissing.append(contentsOf: chunks(event.chunks))
        case .send where event.message == .get && index.match[Int(e)] < 0:
            building[f].flood.lost.append(
                LostDatagram(
                    message: .get, from: name(event.node), to: name(event.peer), ttl: nil,
                    chunks: chunks(event.chunks), offset: event.timestamp - request.start,
                    reason: lossReason(to: event.peer, at: event.timestamp, session: request.key.session),
                    visit: nil))
        default:
            break
        }
    }

    /// Adds the RESPONSEs peers sent the client within `request`: as deliveries when the client is untraced,
    /// as lost datagrams when the client's trace does not show them arriving.
    private mutating func addPeerResponses(
        _ responses: [Int32], of request: ClientRequest, flood f: Int, deliveries: inout [UInt16: ChunkDelivery]
    ) {
        var low = 0
        var high = responses.count
        while low < high {
            let mid = (low + high) / 2
            if index.events[Int(responses[mid])].timestamp < request.from { low = mid + 1 } else { high = mid }
        }
        for e in responses[low...] {
            let event = index.events[Int(e)]
            if event.timestamp >= request.until { break }
            guard let chunk = chunks(event.chunks).first, request.asked.contains(chunk) else { continue }
            if request.clientStreams.isEmpty, deliveries[chunk] == nil {
                deliveries[chunk] = ChunkDelivery(
                    chunk: chunk, peer: name(event.node), offset: event.timestamp - request.start,
                    seenByClient: false, size: Int(event.size))
            }
            if !request.clientStreams.isEmpty, index.match[Int(e)] < 0 {
                building[f].flood.lost.append(
                    LostDatagram(
                        message: .response, from: name(event.node), to: name(event.peer), ttl: nil,
                        chunks: [chunk], offset: event.timestamp - request.start,
                        reason: lossReason(to: event.peer, at: event.timestamp, session: request.key.session),
                        visit: nil))
            }
        }
    }
}
