/// What `TraceReader` read, and an account of what it could not read.
public struct TraceReadReport: Sendable {
    /// The decoded events, file by file in the order of `files`, line by line (empty for `forEachEvent`).
    public var events: [TraceEvent] = []
    /// One message per problem, naming the file (and line for a damaged line).
    public var warnings: [String] = []
    /// Segments that end early: cut off (no gzip trailer or end member, e.g. after `kill -9`), empty, or damaged part-way.
    /// What comes before the cut was read.
    public var truncatedFiles: [String] = []
    /// Lines skipped because they do not decode.
    public var damagedLines: Int = 0
    /// Files that could not be opened or hold no readable data at all.
    public var unreadableFiles: [String] = []
    /// Every trace file found, in reading order.
    public var files: [String] = []
    /// Events decoded (also counted by `forEachEvent`).
    public var eventCount: Int = 0

    public init() {}

    /// Whether everything found was read completely.
    public var isComplete: Bool {
        truncatedFiles.isEmpty && damagedLines == 0 && unreadableFiles.isEmpty
    }

    /// One line for the end of a tool's output: `read 1200 events from 5 files; 1 truncated segment; …`.
    public var summary: String {
        var parts = ["read \(eventCount) events from \(files.count) files"]
        if !truncatedFiles.isEmpty { parts.append("\(truncatedFiles.count) truncated or damaged segments") }
        if damagedLines > 0 { parts.append("\(damagedLines) damaged lines skipped") }
        if !unreadableFiles.isEmpty { parts.append("\(unreadableFiles.count) unreadable files") }
        return parts.joined(separator: "; ")
    }
}
