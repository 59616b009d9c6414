import ArgumentParser
import ChunkNode
import ChunkTrace
import NodeObservers

/// The trace flags shared by `peer` and `client`.
package struct TraceOptions: ParsableArguments, Sendable {
    @Option(
        name: .customLong("trace-dir"), help: "Write JSON-lines trace segments into this folder; off when not given.")
    package var directory: String?

    @Option(
        name: .customLong("trace-segment-bytes"), parsing: .unconditional,
        help: "Rotate a trace segment after this many bytes written (compressed; plain with --trace-format jsonl).")
    package var segmentBytes: Int = 8 << 20

    @Option(
        name: .customLong("trace-segment-seconds"), parsing: .unconditional,
        help: "Rotate a trace segment after this many seconds.")
    package var segmentSeconds: Double = 300

    @Option(
        name: .customLong("trace-keep"), parsing: .unconditional,
        help: "Keep at most this many segments per node (older ones are deleted).")
    package var keepSegments: Int = 50

    @Option(
        name: .customLong("trace-format"),
        help: ArgumentHelp(
            "gzip: segments compressed as they are written (the fewest bytes, for archiving); jsonl: plain JSON lines "
                + "while written, for log shippers to tail, compressed to .jsonl.gz when the segment rotates.",
            valueName: "gzip|jsonl"))
    package var format: TraceFormat = .gzip

    @Option(
        name: .customLong("trace-compressor"),
        help: """
            Compress trace segments with igzip (ISA-L, the least CPU; builds with the ISAL trait only) or zlib (a few \
            percent fewer bytes).
            """)
    package var compressor: TraceCompressor = .preferred

    @Option(
        name: .customLong("trace-compression-level"), parsing: .unconditional,
        help: "Compression level: igzip 0-3 (default 1), zlib 1-9 (default 2).")
    package var compressionLevel: Int?

    package init() {}

    package func validate() throws {
        guard segmentBytes > 0 else {
            throw ValidationError("--trace-segment-bytes must be a positive number of bytes, got \(segmentBytes).")
        }
        guard segmentSeconds > 0, segmentSeconds.isFinite else {
            throw ValidationError(
                "--trace-segment-seconds must be a positive number of seconds, got \(segmentSeconds).")
        }
        guard keepSegments >= 1 else {
            throw ValidationError("--trace-keep must be at least 1, got \(keepSegments).")
        }
        do { try compressor.checkBuilt() } catch { throw ValidationError(error.description) }
        if let compressionLevel, !compressor.levels.contains(compressionLevel) {
            throw ValidationError(
                "--trace-compression-level for \(compressor.rawValue) must be \(compressor.levels.lowerBound) to "
                    + "\(compressor.levels.upperBound), got \(compressionLevel).")
        }
        if let directory, directory.isEmpty {
            throw ValidationError("--trace-dir needs a folder path.")
        }
    }

    /// The observer that writes this node's trace, or `nil` when tracing is off (no `--trace-dir`).
    ///
    /// The folder is created if missing. A folder that cannot be used does not stop the node: the writer reports the
    /// problem once on standard error, counts the events it cannot write (`droppedEvents`, `writeErrors`) and tries
    /// again at the next rotation interval. Call the observer's `finish()` on shutdown so nothing is lost.
    ///
    /// - Throws: never for a bad folder; kept `throws` for callers and future checks.
    package func makeTracer(identity: TraceIdentity) throws -> NodeTracer? {
        guard let directory else { return nil }
        var configuration = TraceSegmentWriter.Configuration(
            segmentBytes: segmentBytes, segmentSeconds: segmentSeconds, keepSegments: keepSegments,
            compressor: compressor, compressionLevel: compressionLevel)
        configuration.format = format
        let writer = TraceSegmentWriter(
            directory: directory, role: identity.role, node: identity.node, configuration: configuration)
        return NodeTracer(
            observer: TracingObserver(sink: writer, identity: identity), statistics: { writer.statistics })
    }
}

extension TraceCompressor: ExpressibleByArgument {}

extension TraceFormat: ExpressibleByArgument {}

/// A node's running trace writer: the observer to register and its counters.
package struct NodeTracer: Sendable {
    package var observer: any NodeObserver
    package var statistics: @Sendable () -> TraceWriterStatistics
}
