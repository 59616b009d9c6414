/// Counters of a trace writer since it started, for metrics.
package struct TraceWriterStatistics: Sendable, Hashable {
    /// Events accepted and written to a segment.
    package var events: UInt64 = 0
    /// Bytes written to segment files (compressed, or plain lines in the `jsonl` format, plus their archives).
    package var bytesWritten: UInt64 = 0
    /// Segments closed and a new one opened.
    package var rotations: UInt64 = 0
    /// Failed writes, opens or flushes (a full disk, an unwritable folder, a segment deleted under the writer).
    package var writeErrors: UInt64 = 0
    /// Encoded bytes waiting for the compression thread.
    package var queueBytes: UInt64 = 0
    /// Events dropped because the writer fell behind or could not write.
    package var droppedEvents: UInt64 = 0
    /// Sync flushes (and segment ends) written to disk: points up to which a crash loses nothing.
    package var flushes: UInt64 = 0

    package init() {}
}
