import ChunkTrace
import Dispatch
import Plurals
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Trace files read into a `TraceIndex`, with the reader's account of what it could not read.
package struct TraceSet: Sendable {
    package var index: TraceIndex
    package var read: TraceReadReport
    /// Segments still being written (a live node's newest, without its end yet): read up to their last batch,
    /// not counted as cut off.
    package var openFiles: [String] = []

    /// Reads every trace file under `paths` (files or folders) straight into an index, keeping only the compact
    /// form of each event. The files are shared among `threads` readers (by size), each filling its own index;
    /// the indexes are then joined.
    ///
    /// `now` (seconds since the Unix epoch, default the clock) tells segments still being written (`openFiles`).
    ///
    /// - Throws: `ReplayError.noTraceFiles` when nothing is found, `.unreadable` for a missing path,
    ///   `.noEvents` when no file held a readable event.
    package static func load(
        paths: [String], clockSkew: Int64 = 100_000, maxLatency: Int64 = 500_000, sessionGap: Int64 = 10_000_000,
        threads: Int = 2, now: Int64? = nil
    ) throws(ReplayError) -> TraceSet {
        let files: [String]
        do {
            files = try TraceReader.traceFiles(in: paths)
        } catch {
            if case .notFound(let path) = error { throw .unreadable(path: path, reason: "no such file or folder") }
            throw .unreadable(path: paths.joined(separator: ", "), reason: error.description)
        }
        guard !files.isEmpty else { throw .noTraceFiles(paths: paths) }
        let groups = split(files, into: max(1, min(threads, files.count)))
        let empty = TraceIndex(clockSkew: clockSkew, maxLatency: maxLatency, sessionGap: sessionGap)
        let results = Mutex<[Result<(TraceIndex, TraceReadReport), ReplayError>?]>(
            Array(repeating: nil, count: groups.count))
        DispatchQueue.concurrentPerform(iterations: groups.count) { g in
            var index = empty
            let result: Result<(TraceIndex, TraceReadReport), ReplayError>
            do {
                let report = try TraceReader.forEachEvent(in: groups[g]) { index.add($0) }
                result = .success((index, report))
            } catch {
                result = .failure(.unreadable(path: groups[g].joined(separator: ", "), reason: "\(error)"))
            }
            results.withLock { $0[g] = result }
        }
        var index = empty
        var report = TraceReadReport()
        report.files = files
        for result in results.withLock({ $0 }) {
            guard let result else { continue }
            let (part, partReport) = try result.get()
            if index.count == 0 { index = part } else { index.absorb(part) }
            report.warnings += partReport.warnings
            report.truncatedFiles += partReport.truncatedFiles
            report.damagedLines += partReport.damagedLines
            report.unreadableFiles += partReport.unreadableFiles
            report.eventCount += partReport.eventCount
        }
        guard index.count > 0 else { throw .noEvents(files: files.count, problems: Array(report.warnings.prefix(3))) }
        index.finish()
        var set = TraceSet(index: index, read: report)
        set.classifyOpenSegments(now: now ?? ReplayClock.micros() / 1_000_000)
        return set
    }

    /// Shares `files` among `count` groups of about the same total size, biggest files first.
    static func split(_ files: [String], into count: Int) -> [[String]] {
        guard count > 1 else { return [files] }
        let sized = files.map { file -> (String, Int64) in
            var info = stat()
            return (file, stat(file, &info) == 0 ? Int64(info.st_size) : 0)
        }.sorted { $0.1 > $1.1 }
        var groups = [[String]](repeating: [], count: count)
        var totals = [Int64](repeating: 0, count: count)
        for (file, size) in sized {
            let smallest = totals.indices.min { totals[$0] < totals[$1] } ?? 0
            groups[smallest].append(file)
            totals[smallest] += size
        }
        return groups.filter { !$0.isEmpty }
    }

    /// What the reader could not read, one line each, for the end of a tool's output; empty when all was read.
    package var readProblems: [String] {
        let open =
            openFiles.isEmpty
            ? []
            : [
                "\(counted(openFiles.count, "segment")) still being written (live nodes): read up to the last complete batch"
            ]
        guard !read.isComplete || !read.warnings.isEmpty else { return open }
        return read.warnings + open + [read.summary]
    }
}
