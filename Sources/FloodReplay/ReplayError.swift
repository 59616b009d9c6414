/// Why replay cannot give an answer.
public enum ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The paths hold no trace file.
    case noTraceFiles(paths: [String])
    /// A path does not exist or cannot be read.
    case unreadable(path: String, reason: String)
    /// Trace files were found but none held a readable event.
    case noEvents(files: Int)
    /// The selection matched no flood.
    case noFloodSelected(selection: String, available: Int)
    /// A time given on the command line is not understood.
    case badTime(String)
    /// An output file cannot be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .noTraceFiles(let paths):
            "no trace files (*.jsonl.gz or *.jsonl) under \(paths.joined(separator: ", ")): give the folder passed "
                + "to peer/client --trace-dir, or segment files"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .noEvents(let files):
            "none of the \(files) trace file(s) holds a readable event (see the warnings above); try "
                + "'p2ptrace check' on them"
        case .noFloodSelected(let selection, let available):
            "no flood matches \(selection) (\(available) flood(s) in the set; 'p2ptrace replay --list' lists them)"
        case .badTime(let text):
            "'\(text)' is not a time: give RFC 3339 UTC (2026-11-25T16:28:12.5Z) or a time of day (16:28:12.5)"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
