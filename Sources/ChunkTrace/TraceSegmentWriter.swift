import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a node's trace events as JSON lines into rotating gzip segment files.
///
/// `record(_:)` encodes the event on the caller's thread (a few hundred nanoseconds, no allocation once warm) into
/// a pending buffer under a lock and returns; it never blocks on compression or disk. A dedicated thread takes
/// the pending bytes, compresses them (one gzip member per batch of up to 256 KiB of lines; ISA-L igzip by default,
/// or zlib) and writes them:
/// - a flush (a write of the members compressed so far) at least every `flushInterval` (200 ms by default, at most
///   250 ms) and at every rotation, so a `kill -9` loses at most about 250 ms of events and every flushed line
///   decodes (`zcat` reads up to there; a segment is a standard multi-member gzip file whose last, empty member
///   marks a clean end, so `TraceReader` can tell a cut-off segment);
/// - a new segment once the compressed size reaches `segmentBytes` (a segment ends at the next line boundary after
///   that, so it can be somewhat larger) or once it is `segmentSeconds` old and holds data;
/// - at most `keepSegments` segments of this node in the folder: older ones of the same node are deleted, never
///   other nodes' files;
/// - file names `<role>-<ip>-<port>-<start time>-<n>.jsonl.gz`, start time with microseconds
///   (`20261125T162812.123456Z`) and files created with `O_EXCL`, so a restart never appends to an old segment;
/// - in the `jsonl` format (`Configuration.format`), the live segment is plain JSON lines (`….jsonl`, which log
///   shippers can tail), flushed as above and compressed into `….jsonl.gz` when it rotates; sizes count plain bytes.
///
/// **Backpressure:** the pending buffer is bounded (`maxQueueBytes`, 64 MiB by default). When it is full, `record`
/// drops the event and counts it in `statistics.droppedEvents`; the node is never slowed down by its trace.
///
/// **Failures:** an unusable folder or a failed write (a full disk) is reported once on standard error and counted
/// in `writeErrors`; so is a segment deleted or replaced under the writer (`rm -rf` of the folder), noticed at the
/// next write, after which the folder is recreated and a new segment started; events that cannot be written meanwhile are counted in `droppedEvents`; the writer tries a new
/// segment after `retryInterval` and reports when writing resumes. It never stops the process.
///
/// Call `finish()` on shutdown (SIGTERM/SIGINT): it writes out everything recorded, ends the gzip stream and
/// closes the file. Thread-safe: `record`, `flush`, `finish` and `statistics` may be called from any thread.
package final class TraceSegmentWriter: TraceSink, @unchecked Sendable {
    /// Limits and intervals of a segment writer.
    package struct Configuration: Sendable, Hashable {
        /// Rotate once a segment holds this many compressed bytes.
        package var segmentBytes: Int
        /// Rotate once a segment holding data is this many seconds old.
        package var segmentSeconds: Double
        /// Keep at most this many segments of this node.
        package var keepSegments: Int
        /// Sync-flush at least this often, in seconds (capped at 0.25).
        package var flushInterval: Double
        /// Bound of the encoded bytes waiting for compression; beyond it events are dropped and counted.
        package var maxQueueBytes: Int
        /// The compression library; both write the same segment structure.
        package var compressor: TraceCompressor
        /// The compressor's level, clamped to `compressor.levels`: igzip 0 (fastest, ~50 % more bytes) … 3
        /// (smallest, 5× the CPU), zlib 1 … 9; the initializer's `nil` means `compressor.defaultLevel`. igzip 1
        /// compresses trace lines about as well as zlib level 2 (7 % more bytes) at a fifth of its CPU.
        package var compressionLevel: Int
        /// After a failure, seconds before trying a new segment; `nil` means `min(segmentSeconds, 10)`.
        package var retryInterval: Double?
        /// Gzip while live (the default), or plain JSON lines compressed at rotation, for log shippers to tail.
        package var format: TraceFormat = .gzip

        package init(
            segmentBytes: Int = 8 << 20, segmentSeconds: Double = 300, keepSegments: Int = 50,
            flushInterval: Double = 0.2, maxQueueBytes: Int = 64 << 20, compressor: TraceCompressor = .preferred,
            compressionLevel: Int? = nil, retryInterval: Double? = nil
        ) {
            self.segmentBytes = segmentBytes
            self.segmentSeconds = segmentSeconds
            self.keepSegments = keepSegments
            self.flushInterval = flushInterval
            self.maxQueueBytes = maxQueueBytes
            self.compressor = compressor
            self.compressionLevel = compressionLevel ?? compressor.defaultLevel
            self.retryInterval = retryInterval
        }
    }

    /// The folder the segments go to.
    package let directory: String
    /// The start of this node's segment names, `<role>-<ip>-<port>-`.
    package let nodePrefix: String

    private let shared: TraceWriterQueue
    private let compressor: TraceSegmentCompressor

    /// Starts a writer and its compression thread.
    ///
    /// - Parameters:
    ///   - directory: the trace folder; created if missing. If it cannot be used, the failure is logged as a
    ///     warning (label `trace`) and retried later; the writer still accepts events (and counts them dropped).
    ///   - role: the node's role, first part of the file names.
    ///   - node: the node's `ip:port`.
    package convenience init(
        directory: String, role: TraceRole, node: String, configuration: Configuration = Configuration()
    ) {
        self.init(
            directory: directory, role: role, node: node, configuration: configuration,
            fileSystem: POSIXSegmentFileSystem(), clock: SystemTraceWriterClock(), report: Self.logWarning)
    }

    init(
        directory: String, role: TraceRole, node: String, configuration: Configuration,
        fileSystem: any SegmentFileSystem, clock: any TraceWriterClock = SystemTraceWriterClock(),
        report: @escaping @Sendable (String) -> Void
    ) {
        self.directory = directory
        nodePrefix = Self.nodePrefix(role: role, node: node)
        let settings = Self.sanitized(configuration)
        shared = TraceWriterQueue(maxQueueBytes: settings.maxQueueBytes, clock: clock)
        compressor = TraceSegmentCompressor(
            directory: directory, nodePrefix: nodePrefix,
            startStamp: TraceTimestamp.fileStamp(clock.wallClockMicroseconds()),
            configuration: settings, fileSystem: fileSystem, clock: clock, report: report)
        let queue = shared
        let worker = compressor
        let thread = Thread { worker.run(queue) }
        thread.name = "trace-writer"
        thread.start()
    }

    deinit {
        shared.finishAndWait()
    }

    /// Encodes the event and queues it for compression; drops and counts it if the queue is full. Never blocks
    /// beyond a short lock.
    package func record(_ event: TraceEvent) {
        shared.append(event)
    }

    /// Encodes a `send` or `recv` straight from its fields (the datagram path's fast way) and queues it, as `record`.
    package func recordMessage(_ message: TraceMessageEvent, prefix: TraceLinePrefix, seq: UInt64, timestamp: Int64) {
        shared.append(message, prefix: prefix, seq: seq, timestamp: timestamp)
    }

    /// Queues the lines of `batch` together (one short lock for all) and empties it; drops and counts them all if
    /// the queue is full, as `record`.
    package func record(_ batch: TraceLineBatch) {
        guard !batch.isEmpty else { return }
        shared.append(batch)
        batch.removeAll()
    }

    /// Blocks until everything recorded so far is compressed and written (or dropped on failure).
    package func flush() {
        shared.flushAndWait()
    }

    /// Writes out everything recorded, ends the gzip stream and closes the segment; later records are ignored.
    /// Blocks until done; safe to call more than once.
    package func finish() {
        shared.finishAndWait()
    }

    /// Counters since the writer started; readable from any thread.
    package var statistics: TraceWriterStatistics {
        shared.statistics
    }

    /// Paths of this node's segments in the folder, oldest first.
    package func segmentPaths() -> [String] {
        let names = (try? POSIXSegmentFileSystem().list(directory)) ?? []
        return Self.segmentNames(in: names, nodePrefix: nodePrefix).map { directory + "/" + $0 }
    }

    // MARK: - Helpers

    static func nodePrefix(role: TraceRole, node: String) -> String {
        var host = node
        var port = "0"
        if let colon = node.lastIndex(of: ":") {
            host = String(node[..<colon])
            port = String(node[node.index(after: colon)...])
        }
        let safe = { (text: String) in String(text.map { $0 == "/" || $0 == ":" ? "_" : $0 }) }
        return "\(role.rawValue)-\(safe(host))-\(safe(port))-"
    }

    /// This node's segment names among `names`, oldest first (names sort by start time, then number).
    static func segmentNames(in names: [String], nodePrefix: String) -> [String] {
        names.filter { name in
            guard name.hasPrefix(nodePrefix), name.hasSuffix(".jsonl.gz") || name.hasSuffix(".jsonl") else {
                return false
            }
            // `peer-10.0.0.1-5001-` must not match `peer-10.0.0.1-50011-…`: the rest starts with the start time.
            return name.dropFirst(nodePrefix.count).first?.isNumber == true
        }.sorted()
    }

    private static func sanitized(_ configuration: Configuration) -> Configuration {
        var settings = configuration
        settings.segmentBytes = max(1, settings.segmentBytes)
        settings.segmentSeconds = settings.segmentSeconds > 0 ? settings.segmentSeconds : 300
        settings.keepSegments = max(1, settings.keepSegments)
        settings.flushInterval = settings.flushInterval > 0 ? min(settings.flushInterval, 0.25) : 0.25
        settings.maxQueueBytes = max(4096, settings.maxQueueBytes)
        let levels = settings.compressor.levels
        settings.compressionLevel = min(levels.upperBound, max(levels.lowerBound, settings.compressionLevel))
        return settings
    }

    @Sendable static func logWarning(_ message: String) {
        Logger(label: "trace").warning("\(message)")
    }
}
