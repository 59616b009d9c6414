/// One flood rebuilt from traces: a HELLO received by a contact peer, the queries it set off, the answers, and
/// where each asked chunk came from.
///
/// Times are microseconds since the Unix epoch (`start`) or since `start` (every `offset`).
package struct Flood: Sendable, Hashable {
    /// 1-based position in the report, in time order.
    package var index: Int
    /// 1-based session (a group of traces close in time; unrelated runs land in different sessions).
    package var session: Int
    /// The contact peer's run id, when its trace is present.
    package var run: String?
    /// The client address as the contact peer saw it.
    package var client: String
    /// The contact peer's address.
    package var contact: String
    /// The chunks the HELLO asked for, in order.
    package var askedChunks: [UInt16]
    /// When the contact peer received the HELLO (or, without its trace, the earliest sign of this flood).
    package var start: Int64
    /// When this HELLO repeats an earlier one of the same client request (a HELLO retry): that flood's index.
    /// The request's chunks, GET/RESPONSE losses and missing chunks are listed on that flood only.
    package var retryOf: Int?
    /// The client's HELLO send, relative to `start`, when the client's trace is present.
    package var helloSentOffset: Int64?
    package var contactTraced: Bool
    package var clientTraced: Bool
    /// Every arrival of the HELLO or a QUERY at a peer, in time order; `visits[0]` is the contact peer.
    package var visits: [FloodVisit]
    /// Datagrams of this flood that were sent and never received.
    package var lost: [LostDatagram]
    /// Every CHUNK_INFO a peer sent for this flood.
    package var answers: [ChunkAnswer]
    /// Per asked chunk that arrived: who served it and when.
    package var deliveries: [ChunkDelivery]
    /// Asked chunks no peer announced (in this flood or its HELLO retries): nobody within reach had them.
    package var notFound: [UInt16]
    /// Asked chunks announced by some peer whose RESPONSE never showed up.
    package var notDelivered: [UInt16]
    /// Chunks the client itself reported missing (`missing` events).
    package var clientMissing: [UInt16]
    package var summary: FloodSummary
    /// What could not be rebuilt, in words (a missing trace, a HELLO retry, ...).
    package var notes: [String]
    /// The nodes of this flood (client included) whose clocks were corrected; every time above is adjusted.
    package var clockAdjustments: [ClockAdjustment] = []

    /// The raw (uncorrected) form of `offset`, a time stamped by `node`.
    package func rawOffset(_ offset: Int64, at node: String) -> Int64 {
        offset + (clockAdjustments.first { $0.node == node }?.offset ?? 0)
    }

    /// The visits whose parent is `parent` (`nil`: the roots), in time order.
    package func children(of parent: Int?) -> [FloodVisit] {
        visits.filter { $0.parent == parent }
    }
}
