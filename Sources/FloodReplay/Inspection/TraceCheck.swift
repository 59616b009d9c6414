import ChunkTrace
import Plurals

/// What is damaged, cut or missing in a trace set (`p2ptrace check`).
package struct TraceCheck: Sendable, Hashable {
    /// One problem found.
    package struct Finding: Sendable, Hashable, CustomStringConvertible {
        package enum Kind: String, Sendable, Hashable {
            /// A run's `seq` skips numbers: events were lost (a deleted or damaged segment).
            case seqGap = "seq_gap"
            /// A run does not start at seq 1: its first segments are gone (rotated away or not copied).
            case missingBeginning = "missing_beginning"
            /// The same seq twice in one run.
            case duplicateSeq = "duplicate_seq"
            /// A run's trace ends without `stop` (killed, or its last segment cut).
            case noStop = "no_stop"
            /// A segment file ends early.
            case truncatedSegment = "truncated_segment"
            /// Lines that do not decode.
            case damagedLines = "damaged_lines"
            /// A file that could not be read at all.
            case unreadableFile = "unreadable_file"
            /// A node others sent to or named, with no trace in the set.
            case untracedNode = "untraced_node"
            /// Traces of unrelated runs (far apart in time) in one set.
            case severalSessions = "several_sessions"
            /// One node has several runs in a session (restarted).
            case restartedNode = "restarted_node"
            /// One node has two runs overlapping in time: traces of different machines mixed.
            case overlappingRuns = "overlapping_runs"
        }

        package var kind: Kind
        /// The node concerned, when there is one.
        package var node: String?
        package var message: String

        package var description: String { "\(kind.rawValue): \(message)" }
    }

    package var findings: [Finding]
    /// Facts worth knowing that are not damage: clients that sent to traced peers without being traced.
    package var notes: [String]

    /// Whether nothing was found.
    package var isClean: Bool { findings.isEmpty }

    /// Checks `index`; `truncatedFiles`, `damagedLines` and `unreadableFiles` come from the reader.
    package init(
        _ index: TraceIndex, truncatedFiles: [String] = [], damagedLines: Int = 0, unreadableFiles: [String] = [],
        readerWarnings: [String] = []
    ) {
        var index = index
        index.finish()
        var findings: [Finding] = []
        var notes: [String] = []
        for file in unreadableFiles {
            findings.append(Finding(kind: .unreadableFile, node: nil, message: "\(file) could not be read"))
        }
        for file in truncatedFiles {
            findings.append(
                Finding(
                    kind: .truncatedSegment, node: nil,
                    message: "\(file) ends early (cut off, e.g. by kill -9, or damaged); read up to the cut"))
        }
        if damagedLines > 0 {
            let detail = readerWarnings.filter { $0.contains("line") }.prefix(5).joined(separator: "; ")
            findings.append(
                Finding(
                    kind: .damagedLines, node: nil,
                    message: "\(damagedLines) damaged line\(damagedLines == 1 ? "" : "s") skipped"
                        + (detail.isEmpty ? "" : ": \(detail)")))
        }
        if index.sessions.count > 1 {
            let spans = index.sessions.enumerated().map {
                "session \($0.offset + 1): \(ReplayFormat.timestamp($0.element.start)) – "
                    + "\(ReplayFormat.timestamp($0.element.end)) (\($0.element.streams.count) node runs)"
            }
            findings.append(
                Finding(
                    kind: .severalSessions, node: nil,
                    message: "the set mixes \(index.sessions.count) unrelated runs, replayed separately: "
                        + spans.joined(separator: "; ")))
        }
        for stream in index.streams {
            let node = index.names[Int(stream.node)]
            let run = index.runs[Int(stream.run)]
            let seqs = stream.events.map { index.events[Int($0)].seq }
            guard let first = seqs.first, let last = seqs.last else { continue }
            if first > 1 {
                findings.append(
                    Finding(
                        kind: .missingBeginning, node: node,
                        message: "\(node) run \(run) starts at seq \(first): events 1…\(first - 1) are missing"))
            }
            var gaps: [String] = []
            var missing: UInt64 = 0
            var duplicates = 0
            for (a, b) in zip(seqs, seqs.dropFirst()) {
                if b == a { duplicates += 1 }
                if b > a, b - a > 1 {
                    missing = missing &+ (b - a - 1)
                    if gaps.count < 5 { gaps.append(b - a == 2 ? "\(a + 1)" : "\(a + 1)…\(b - 1)") }
                }
            }
            if missing > 0 {
                findings.append(
                    Finding(
                        kind: .seqGap, node: node,
                        message: "\(node) run \(run) misses \(counted(missing, "event")) "
                            + "(seq \(gaps.joined(separator: ", "))\(gaps.count == 5 ? ", …" : ""))"))
            }
            if duplicates > 0 {
                findings.append(
                    Finding(
                        kind: .duplicateSeq, node: node,
                        message:
                            "\(node) run \(run) has \(counted(duplicates, "repeated seq number")): "
                            + "the same segment twice?")
                )
            }
            if !stream.stopped {
                findings.append(
                    Finding(
                        kind: .noStop, node: node,
                        message: "\(node) run \(run) ends at seq \(last) "
                            + "(\(ReplayFormat.timestamp(stream.lastTimestamp))) without a stop event: killed, still "
                            + "running, or its last segment is cut"))
            }
        }
        for (s, span) in index.sessions.enumerated() {
            var traced: [Int32: [Int32]] = [:]
            for stream in span.streams { traced[index.streams[Int(stream)].node, default: []].append(stream) }
            for (node, streams) in traced.sorted(by: { $0.key < $1.key }) where streams.count > 1 {
                let sorted = streams.map { index.streams[Int($0)] }.sorted { $0.firstTimestamp < $1.firstTimestamp }
                let name = index.names[Int(node)]
                let overlapping = zip(sorted, sorted.dropFirst()).contains { $1.firstTimestamp < $0.lastTimestamp }
                // A client host runs the client once per request: several client runs are normal.
                guard overlapping || sorted.contains(where: { $0.role == .peer }) else { continue }
                findings.append(
                    Finding(
                        kind: overlapping ? .overlappingRuns : .restartedNode, node: name,
                        message: overlapping
                            ? "\(name) has \(counted(streams.count, "run")) overlapping in time in session \(s + 1): "
                                + "traces "
                                + "of different machines or experiments mixed; matching may pair the wrong messages"
                            : "\(name) was restarted: \(counted(streams.count, "run")) in session \(s + 1)"))
            }
            var referenced: [Int32: Int32] = [:]
            var untracedClients = Set<Int32>()
            for stream in span.streams {
                let st = index.streams[Int(stream)]
                for neighbor in st.neighbors where traced[neighbor] == nil { referenced[neighbor] = st.node }
                if st.contact >= 0, traced[st.contact] == nil { referenced[st.contact] = st.node }
                for e in st.events {
                    let event = index.events[Int(e)]
                    guard event.peer >= 0, traced[event.peer] == nil, referenced[event.peer] == nil else { continue }
                    if event.message == .query {
                        referenced[event.peer] = st.node
                    } else if event.kind == .send || event.kind == .recv {
                        untracedClients.insert(event.peer)
                    }
                }
            }
            untracedClients.subtract(referenced.keys)
            if !untracedClients.isEmpty {
                let names = untracedClients.map { index.names[Int($0)] }.sorted(by: ReplayFormat.addressLess)
                notes.append(
                    "session \(s + 1): \(counted(names.count, "client address")) without a trace exchanged "
                        + "messages with traced peers: \(names.prefix(5).joined(separator: ", "))\(names.count > 5 ? ", …" : "")")
            }
            for (node, by) in referenced.sorted(by: {
                ReplayFormat.addressLess(index.names[Int($0.key)], index.names[Int($1.key)])
            }) {
                let name = index.names[Int(node)]
                findings.append(
                    Finding(
                        kind: .untracedNode, node: name,
                        message: "\(name) is named by \(index.names[Int(by)]) in session \(s + 1) but has no trace "
                            + "in the set"))
            }
        }
        self.findings = findings
        self.notes = notes
    }

    /// One line per finding, or a line saying the set is complete.
    package var text: String {
        let notes = self.notes.map { "note: \($0)\n" }.joined()
        guard !findings.isEmpty else { return "ok: no gaps, cuts, damaged lines or untraced peers found\n" + notes }
        return findings.map { $0.description + "\n" }.joined() + notes
    }
}
