import ChunkTrace
import Foundation
import TestSupport

/// A temporary folder of real trace segments (gzip JSON lines written by `TraceSegmentWriter`), removed on deinit.
final class TraceFolder {
    private let folder: TemporaryFolder
    var url: URL { folder.url }
    var path: String { folder.path }

    init() throws {
        folder = try TemporaryFolder(prefix: "replay")
    }

    /// Writes `events` through one segment writer per node and run, finishing each.
    func write(_ events: [TraceEvent], segmentBytes: Int = 8 << 20) {
        var writers: [String: TraceSegmentWriter] = [:]
        for event in events {
            let key = event.node + " " + event.run
            let writer =
                writers[key]
                ?? TraceSegmentWriter(
                    directory: path, role: event.role, node: event.node,
                    configuration: .init(segmentBytes: segmentBytes))
            writers[key] = writer
            writer.record(event)
        }
        for writer in writers.values { writer.finish() }
    }

    /// The segment files, sorted.
    func segments() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".jsonl.gz") }.sorted()
            .map { url.appendingPathComponent($0).path }
    }

    deinit {
        folder.remove()
    }
}
