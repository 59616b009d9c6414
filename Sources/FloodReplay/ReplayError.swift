import Plurals

/// Why replay cannot give an answer.
package enum ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The paths hold no trace file.
    case noTraceFiles(paths: [String])
    /// A path does not exist or cannot be read.
    case unreadable(path: String, reason: String)
    /// Trace files were found but none held a readable event; `problems` is what the reader said about them.
    case noEvents(files: Int, problems: [String])
    /// The selection matched no flood.
    case noFloodSelected(selection: String, available: Int)
    /// A time given on the command line is not understood.
    case badTime(String)
    /// An output file cannot be written.
    case cannotWrite(path: String, reason: String)

    package var description: String {
        switch self {
        case .noTraceFiles(let paths):
            "no trace files (*.jsonl.gz or *.jsonl) under \(paths.joined(separator: ", ")): give the folder passed "
                + "to peer/client --trace-dir, or segment files"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .noEvents(let files, let problems):
            "\(files == 1 ? "the trace file holds" : "none of the \(files) trace files holds") no readable event"
                + (problems.isEmpty ? "" : ": " + problems.joined(separator: "; "))
                + "; a trace is what peer/client --trace-dir writes (*.jsonl.gz); 'p2ptrace check' says more"
        case .noFloodSelected(let selection, let available):
            "no flood matches \(selection) (\(counted(available, "flood")) in the set; "
                + "'p2ptrace replay --list' lists them)"
        case .badTime(let text):
            "'\(text)' is not a time: give RFC 3339 UTC (2026-11-25T16:28:12.5Z) or a time of day (16:28:12.5)"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
