import ChunkTrace

extension FloodReplayer {
    /// A node in one session: the key floods, streams and responses are grouped by.
    struct SessionNode: Hashable {
        var session: Int
        var node: Int32
    }

    /// A flood while it is being rebuilt, with what the final shape needs.
    struct Building {
        var flood: Flood
        var sessionIndex: Int
        var clientNode: Int32
        var visitTimes: [Int64] = []
        var visitNodes: [Int32] = []
        var rootEvent: Int32 = -1
        var clientStreams: [Int32] = []
        /// Chunks announced by this flood and its HELLO retries; `nil` for a retry.
        var announced: Set<UInt16>?
        /// Forwards and answers of this flood whose cause replay inferred (nodes known from a capture).
        var inferredCauses = 0
    }

    /// One replay of an index: floods started at HELLOs, orphan queries attached, client sides read, then
    /// every flood put in its final shape. Each step lives in its own file (`FloodReplayer+Step.swift`).
    struct Run {
        let index: TraceIndex
        let orphanWindow: Int64
        var consumed: [Bool]
        var building: [Building] = []
        var nodeStreams: [SessionNode: [Int32]] = [:]
        var peersTraced: [Int] = []
        var warnings: [String] = []
        /// The ttl contact peers put on their queries, as the traces show it (no fixed value is assumed).
        let initialTTL: Int

        init(index: TraceIndex, orphanWindow: Int64) {
            self.index = index
            self.orphanWindow = orphanWindow
            consumed = [Bool](repeating: false, count: index.events.count)
            initialTTL = Self.observedInitialTTL(index)
            for (s, stream) in index.streams.enumerated() {
                nodeStreams[SessionNode(session: stream.session, node: stream.node), default: []].append(Int32(s))
            }
            peersTraced = index.sessions.map { span in
                Set(
                    span.streams.compactMap { index.streams[Int($0)].role == .peer ? index.streams[Int($0)].node : nil }
                )
                .count
            }
        }

        /// The largest ttl of a query sent in answer to a HELLO; without one, the largest ttl of any query.
        static func observedInitialTTL(_ index: TraceIndex) -> Int {
            var fromHello: Int32 = -1
            var any: Int32 = -1
            for (i, event) in index.events.enumerated() where event.message == .query {
                any = max(any, event.ttl)
                let cause = event.kind == .send ? index.causeOf[i] : -1
                if cause >= 0, index.events[Int(cause)].message == .hello { fromHello = max(fromHello, event.ttl) }
            }
            return Int(fromHello >= 0 ? fromHello : any)
        }

        func name(_ id: Int32) -> String { id >= 0 ? index.names[Int(id)] : "?" }
        func chunks(_ id: Int32) -> [UInt16] { id >= 0 ? index.chunkLists[Int(id)] : [] }
        func session(of event: Int32) -> Int { index.streams[Int(index.events[Int(event)].stream)].session }

        func isTraced(_ node: Int32, session: Int) -> Bool {
            nodeStreams[SessionNode(session: session, node: node)] != nil
        }

        func lossReason(to node: Int32, at time: Int64, session: Int) -> LossReason {
            guard let streams = nodeStreams[SessionNode(session: session, node: node)] else { return .receiverUntraced }
            let up = streams.contains {
                index.streams[Int($0)].firstTimestamp <= time + index.clockSkew
                    && index.streams[Int($0)].lastTimestamp >= time
            }
            if up {
                return streams.contains { index.stoppedReading(Int($0), after: time) } ? .receiverEnded : .notReceived
            }
            let ended = streams.contains {
                index.streams[Int($0)].stopped && index.streams[Int($0)].lastTimestamp < time
                    && index.streams[Int($0)].firstTimestamp <= time
            }
            return ended ? .receiverEnded : .receiverDown
        }

        mutating func replay() -> ReplayReport {
            startFloodsAtHellos()
            attachOrphanQueries()
            building.sort { $0.flood.start < $1.flood.start }
            attachClientSides()
            var floods: [Flood] = []
            floods.reserveCapacity(building.count)
            for (i, b) in building.enumerated() {
                var flood = finalize(b)
                flood.index = i + 1
                floods.append(flood)
            }
            return ReplayReport(sessions: makeSessions(), floods: floods, warnings: warnings)
        }
    }
}
