import ChunkTrace

/// A trace event in the compact form replay works on: every address, run and chunk list is replaced by a
/// small integer id into the `TraceIndex` tables, so a million events fit in about 64 MB.
struct IndexedEvent: Sendable {
    var timestamp: Int64
    var seq: UInt64
    /// The `seq` of the receive that caused this send; 0 when none (seq starts at 1).
    var cause: UInt64
    var stream: Int32
    var node: Int32
    /// `to` for a send, `from` for a receive, drop or saved chunk; -1 when absent.
    var peer: Int32
    /// The client address a query carries; -1 when absent.
    var client: Int32
    /// Chunk list id; -1 when absent.
    var chunks: Int32
    /// -1 when absent.
    var ttl: Int32
    var size: Int32
    var kind: TraceEventKind
    var message: TraceMessageType?
}
