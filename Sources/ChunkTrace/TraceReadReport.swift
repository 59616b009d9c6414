import Plurals

/// What `TraceReader` read, and an account of what it could not read.
package struct TraceReadReport: Sendable {
    /// The decoded events, file by file in the order of `files`, line by line (empty for `forEachEvent`).
    package var events: [TraceEvent] = []
    /// One message per problem, naming the file (and line for a damaged line).
    package var warnings: [String] = []
    /// Segments that end early: cut off (no gzip trailer or end member, e.g. after `kill -9`), empty, or damaged part-way.
    /// What comes before the cut was read.
    package var truncatedFiles: [String] = []
    /// Lines skipped because they do not decode.
    package var damagedLines: Int = 0
    /// Files that could not be opened or hold no readable data at all.
    package var unreadableFiles: [String] = []
    /// Every trace file found, in reading order.
    package var files: [String] = []
    /// Events decoded (also counted by `forEachEvent`).
    package var eventCount: Int = 0

    package init() {}

    /// Whether everything found was read completely.
    package var isComplete: Bool {
        truncatedFiles.isEmpty && damagedLines == 0 && unreadableFiles.isEmpty
    }

    /// One line for the end of a tool's output: `read 1200 events from 5 files; 1 truncated segment; …`.
    package var summary: String {
        var parts = ["read \(counted(eventCount, "event")) from \(counted(files.count, "file"))"]
        if !truncatedFiles.isEmpty { parts.append("\(counted(truncatedFiles.count, "truncated or damaged segment"))") }
        if damagedLines > 0 { parts.append("\(counted(damagedLines, "damaged line")) skipped") }
        if !unreadableFiles.isEmpty { parts.append("\(counted(unreadableFiles.count, "unreadable file"))") }
        return parts.joined(separator: "; ")
    }
}
