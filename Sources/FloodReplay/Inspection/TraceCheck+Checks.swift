import ChunkTrace
import Plurals

extension TraceCheck {
    /// What the reader could not read: unreadable files, cut segments, damaged lines.
    static func readerFindings(
        truncatedFiles: [String], damagedLines: Int, unreadableFiles: [String], readerWarnings: [String]
    ) -> [Finding] {
        var findings: [Finding] = []
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
        return findings
    }

    /// A finding when the set mixes unrelated runs (several sessions).
    static func severalSessionsFinding(_ index: TraceIndex) -> Finding? {
        guard index.sessions.count > 1 else { return nil }
        let spans = index.sessions.enumerated().map {
            "session \($0.offset + 1): \(ReplayFormat.timestamp($0.element.start)) – "
                + "\(ReplayFormat.timestamp($0.element.end)) (\($0.element.streams.count) node runs)"
        }
        return Finding(
            kind: .severalSessions, node: nil,
            message: "the set mixes \(index.sessions.count) unrelated runs, replayed separately: "
                + spans.joined(separator: "; "))
    }

    /// A run's missing beginning, seq gaps, repeated seqs and missing stop.
    static func streamFindings(_ stream: TraceStream, in index: TraceIndex) -> [Finding] {
        let node = index.names[Int(stream.node)]
        let run = index.runs[Int(stream.run)]
        let seqs = stream.events.map { index.events[Int($0)].seq }
        guard let first = seqs.first, let last = seqs.last else { return [] }
        var findings: [Finding] = []
        if first > 1 {
            findings.append(
                Finding(
                    kind: .missingBeginning, node: node,
                    message: "\(node) run \(run) starts at seq \(first): events 1…\(first - 1) are missing"))
        }
        findings += seqFindings(seqs, node: node, run: run)
        if !stream.stopped {
            findings.append(
                Finding(
                    kind: .noStop, node: node,
                    message: "\(node) run \(run) ends at seq \(last) "
                        + "(\(ReplayFormat.timestamp(stream.lastTimestamp))) without a stop event: killed, still "
                        + "running, or its last segment is cut"))
        }
        return findings
    }

    /// Gaps and repeats in one run's seq numbers (in the order read).
    private static func seqFindings(_ seqs: [UInt64], node: String, run: String) -> [Finding] {
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
        var findings: [Finding] = []
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
        return findings
    }

    /// The streams of session `s`, by node.
    static func tracedStreams(of s: Int, in index: TraceIndex) -> [Int32: [Int32]] {
        var traced: [Int32: [Int32]] = [:]
        for stream in index.sessions[s].streams { traced[index.streams[Int(stream)].node, default: []].append(stream) }
        return traced
    }

    /// Peers restarted within session `s`, and nodes whose runs overlap in time.
    static func restartFindings(session s: Int, traced: [Int32: [Int32]], in index: TraceIndex) -> [Finding] {
        var findings: [Finding] = []
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
        return findings
    }

    /// Nodes of session `s` that traced nodes name (as neighbour, contact or query peer) but that have no trace,
    /// and a note on untraced clients that exchanged messages with traced peers.
    static func untracedNodes(session s: Int, traced: [Int32: [Int32]], in index: TraceIndex)
        -> (findings: [Finding], note: String?)
    {
        var referenced: [Int32: Int32] = [:]
        var untracedClients = Set<Int32>()
        for stream in index.sessions[s].streams {
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
        var note: String?
        if !untracedClients.isEmpty {
            let names = untracedClients.map { index.names[Int($0)] }.sorted(by: ReplayFormat.addressLess)
            let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : "")
            note =
                "session \(s + 1): \(counted(names.count, "client address")) without a trace exchanged "
                + "messages with traced peers: \(shown)"
        }
        let findings = referenced.sorted(by: {
            ReplayFormat.addressLess(index.names[Int($0.key)], index.names[Int($1.key)])
        }).map { (node, by) in
            let name = index.names[Int(node)]
            return Finding(
                kind: .untracedNode, node: name,
                message: "\(name) is named by \(index.names[Int(by)]) in session \(s + 1) but has no trace "
                    + "in the set")
        }
        return (findings, note)
    }
}
