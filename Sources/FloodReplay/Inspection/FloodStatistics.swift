/// The figures of one flood, as `p2ptrace stats --floods` lists them: one row per flood of a replay.
///
/// Times are microseconds since the flood's start (the contact peer's receipt of the HELLO).
package struct FloodStatistics: Sendable, Hashable {
    package var flood: Int
    package var session: Int
    /// The flood this one repeats (a HELLO retry); its chunk figures are on that flood.
    package var retryOf: Int?
    package var client: String
    package var contact: String
    package var asked: [UInt16]
    package var peersReached: Int
    /// Peers with a trace in the flood's session: the denominator of `coverage`.
    package var peersTraced: Int
    package var queryMessages: Int
    package var duplicates: Int
    package var expired: Int
    package var lost: Int
    /// The largest hop reached.
    package var depth: Int
    /// CHUNK_INFO datagrams peers sent for this flood.
    package var chunkInfos: Int
    package var firstChunkInfo: Int64?
    package var lastChunkInfo: Int64?
    package var lastChunk: Int64?
    /// Asked chunks that arrived; `nil` on a HELLO retry.
    package var chunksFound: Int?
    /// Asked chunks that did not arrive; `nil` on a HELLO retry.
    package var chunksMissing: Int?

    /// `peersReached / peersTraced` (0 when no peer is traced).
    package var coverage: Double {
        peersTraced == 0 ? 0 : Double(peersReached) / Double(peersTraced)
    }

    /// The row of `flood`.
    package init(_ flood: Flood) {
        let summary = flood.summary
        self.flood = flood.index
        session = flood.session
        retryOf = flood.retryOf
        client = flood.client
        contact = flood.contact
        asked = flood.askedChunks
        peersReached = summary.peersReached
        peersTraced = summary.peersTraced
        queryMessages = summary.queryMessages
        duplicates = summary.duplicates
        expired = summary.expired
        lost = summary.lost
        depth = summary.depth
        chunkInfos = flood.answers.count
        firstChunkInfo = flood.answers.map { $0.receivedOffset ?? $0.sentOffset }.min()
        lastChunkInfo = summary.lastChunkInfo
        lastChunk = summary.lastChunk
        if flood.retryOf == nil {
            let found = Set(flood.deliveries.map(\.chunk))
            chunksFound = found.count
            chunksMissing = Set(flood.askedChunks).subtracting(found).count
        }
    }

    /// One row per flood of `floods`, in their order.
    package static func rows(_ floods: [Flood]) -> [FloodStatistics] {
        floods.map(FloodStatistics.init)
    }
}
