import ChunkTrace

/// Trace files read into a `TraceIndex`, with the reader's account of what it could not read.
public struct TraceSet: Sendable {
    public var index: TraceIndex
    public var read: TraceReadReport

    /// Reads every trace file under `paths` (files or folders) straight into an index, keeping only the compact
    /// form of each event.
    ///
    /// - Throws: `ReplayError.noTraceFiles` when nothing is found, `.unreadable` for a missing path,
    ///   `.noEvents` when no file held a readable event.
    public static func load(
        paths: [String], clockSkew: Int64 = 100_000, maxLatency: Int64 = 500_000, sessionGap: Int64 = 10_000_000
    ) throws(ReplayError) -> TraceSet {
        var index = TraceIndex(clockSkew: clockSkew, maxLatency: maxLatency, sessionGap: sessionGap)
        let report: TraceReadReport
        do {
            report = try TraceReader.forEachEvent(in: paths) { index.add($0) }
        } catch let error as TraceError {
            if case .notFound(let path) = error { throw .unreadable(path: path, reason: "no such file or folder") }
            throw .unreadable(path: paths.joined(separator: ", "), reason: error.description)
        } catch {
            throw .unreadable(path: paths.joined(separator: ", "), reason: "\(error)")
        }
        guard !report.files.isEmpty else { throw .noTraceFiles(paths: paths) }
        guard index.count > 0 else { throw .noEvents(files: report.files.count) }
        index.finish()
        return TraceSet(index: index, read: report)
    }

    /// What the reader could not read, one line each, for the end of a tool's output; empty when all was read.
    public var readProblems: [String] {
        guard !read.isComplete || !read.warnings.isEmpty else { return [] }
        return read.warnings + [read.summary]
    }
}
