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
        var findings = Self.readerFindings(
            truncatedFiles: truncatedFiles, damagedLines: damagedLines, unreadableFiles: unreadableFiles,
            readerWarnings: readerWarnings)
        var notes: [String] = []
        if let mixed = Self.severalSessionsFinding(index) { findings.append(mixed) }
        for stream in index.streams { findings += Self.streamFindings(stream, in: index) }
        for s in index.sessions.indices {
            let traced = Self.tracedStreams(of: s, in: index)
            findings += Self.restartFindings(session: s, traced: traced, in: index)
            let (untraced, note) = Self.untracedNodes(session: s, traced: traced, in: index)
            findings += untraced
            if let note { notes.append(note) }
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
