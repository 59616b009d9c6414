import ArgumentParser
import ChunkNode
import ChunkTrace

/// The trace flags shared by `peer` and `client`.
public struct TraceOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("trace-dir"), help: "Write JSON-lines trace segments (gzip) into this folder; off when not given.")
    public var directory: String?

    @Option(name: .customLong("trace-segment-bytes"), help: "Rotate a trace segment after this many compressed bytes.")
    public var segmentBytes: Int = 8 << 20

    @Option(name: .customLong("trace-segment-seconds"), help: "Rotate a trace segment after this many seconds.")
    public var segmentSeconds: Double = 300

    @Option(name: .customLong("trace-keep"), help: "Keep at most this many segments per node (older ones are deleted).")
    public var keepSegments: Int = 50

    public init() {}

    /// The observer that writes this node's trace, or `nil` when tracing is off.
    ///
    /// - Throws: when the folder cannot be used at all.
    public func makeTracer(identity: TraceIdentity) throws -> NodeTracer? {
        // Replaced by the trace writer (issue 3).
        nil
    }
}

/// A node's running trace writer: the observer to register and its counters.
public struct NodeTracer: Sendable {
    public var observer: any NodeObserver
    public var statistics: @Sendable () -> TraceWriterStatistics
}
