import ChunkTrace

/// Reads captures (files, or a live interface) into trace segments: one writer per node, in the trace folder.
///
/// At most `maxOpenWriters` nodes have a segment open at once (a capture of a load test sees thousands of client
/// ports); the least recently used one is finished first, and a node seen again later starts a new segment of
/// the same run. Call `finish()` at the end: every segment is then closed cleanly.
package final class CaptureImporter {
    package let directory: String
    package let maxOpenWriters: Int
    private var mapper: CaptureTraceMapper
    private var writers: [String: (writer: TraceSegmentWriter, lastUse: Int)] = [:]
    private var uses = 0
    /// How many snaplen cuts are reported one by one per source before only their count is given.
    private let reportLimit = 10

    /// - Parameters:
    ///   - directory: the trace folder.
    ///   - source: what the `start` events name as the events' origin (capture files or an interface).
    ///   - tool: the program and version, for the `start` events.
    ///   - run: the run id of every node of this import.
    package init(directory: String, source: String, tool: String, run: String, maxOpenWriters: Int = 64) {
        self.directory = directory
        self.maxOpenWriters = max(1, maxOpenWriters)
        mapper = CaptureTraceMapper(source: source, tool: tool, run: run)
    }

    /// The nodes seen so far.
    package var nodeCount: Int { mapper.roles.count }

    /// Reads every packet of `source` until its end, or until `stopRequested` says so (checked between packets
    /// and on every read timeout of a live capture).
    ///
    /// - Parameter report: takes one line per packet the user should hear about (cut by the snaplen).
    /// - Returns: what the capture held, and the error that ended it early (everything before it is written).
    package func read(
        _ source: PcapSource, stopRequested: () -> Bool = { false }, report: (String) -> Void
    ) -> (statistics: CaptureStatistics, error: CaptureError?) {
        var decoder = CaptureDecoder(linkType: source.linkType)
        var failure: CaptureError?
        reading: while !stopRequested() {
            let read: PcapSource.Read
            do {
                read = try source.next()
            } catch {
                failure = error
                break
            }
            switch read {
            case .end: break reading
            case .idle: continue
            case .frame(let frame):
                switch decoder.decode(frame) {
                case .datagram(let datagram): record(mapper.events(for: datagram))
                case .skipped: break
                case .truncated(let captured, let original):
                    let count = decoder.statistics.truncated
                    if count <= reportLimit {
                        report(
                            "\(source.name): packet \(frame.number): cut by the capture's snaplen (\(captured) of "
                                + "\(original) bytes captured), skipped; capture with tcpdump -s 0")
                    } else if count == reportLimit + 1 {
                        report("\(source.name): more packets cut by the snaplen; the summary counts them")
                    }
                }
            }
        }
        decoder.finish()
        return (decoder.statistics, failure)
    }

    private func record(_ events: [TraceEvent]) {
        for event in events {
            uses += 1
            if let open = writers[event.node] {
                writers[event.node] = (open.writer, uses)
                open.writer.record(event)
                continue
            }
            if writers.count >= maxOpenWriters, let oldest = writers.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                oldest.value.writer.finish()
                writers[oldest.key] = nil
            }
            let writer = TraceSegmentWriter(directory: directory, role: event.role, node: event.node)
            writers[event.node] = (writer, uses)
            writer.record(event)
        }
    }

    /// Writes out and closes every open segment.
    package func finish() {
        for open in writers.values { open.writer.finish() }
        writers = [:]
    }
}
