/// How a trace writer stores the segment it is writing.
package enum TraceFormat: String, Sendable, Hashable, CaseIterable {
    /// Gzip while live (`.jsonl.gz`, one member per batch): the fewest bytes, for archiving. Log shippers treat a
    /// `.gz` file as finished and do not tail it while it grows.
    case gzip
    /// Plain JSON lines while live (`.jsonl`), for log shippers (Filebeat, Promtail, Vector, Fluent Bit) to tail;
    /// gzip-compressed into `.jsonl.gz` when it rotates, as lumberjack and logrotate do.
    case jsonl

    /// The end of the live segment's file name.
    var liveSuffix: String {
        switch self {
        case .gzip: ".jsonl.gz"
        case .jsonl: ".jsonl"
        }
    }
}
