import Plurals

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads trace segments back, tolerating what crashes and full disks leave behind.
///
/// Takes files and folders (searched recursively for `*.jsonl.gz` and `*.jsonl`). Reads both segment formats: one
/// zlib stream (earlier writers) and a sequence of gzip members with start and end markers (`GzipSegmentMarker`).
/// A segment cut off (`kill -9`: no gzip trailer, or no end member) is read up to its last complete line and
/// reported as truncated; a line that does not decode is skipped with a
/// warning naming file and line; the returned `TraceReadReport` says what could not be read. Decoding works on the
/// decompressed bytes directly, without making a `String` per line.
package enum TraceReader {
    /// Damaged-line warnings listed per file; the rest are counted in one more warning.
    static let warningsPerFile = 20
    /// A line longer than this is damaged (a file without newlines would otherwise fill memory).
    static let maxLineBytes = 16 << 20

    /// Reads every event of the trace files under `paths`.
    ///
    /// - Throws: `TraceError.notFound` when a path does not exist, or what `forEachEvent` throws.
    package static func read(paths: [String]) throws -> TraceReadReport {
        var events: [TraceEvent] = []
        var report = try forEachEvent(in: paths) { events.append($0) }
        report.events = events
        return report
    }

    /// Decodes every event of the trace files under `paths` and hands each to `body`, file by file in the order
    /// of `traceFiles(in:)`, line by line; keeps no events (the report's `events` is empty).
    ///
    /// - Throws: `TraceError.notFound` when a path does not exist, or what `body` throws (which stops reading).
    @discardableResult
    package static func forEachEvent(
        in paths: [String], _ body: (TraceEvent) throws -> Void
    ) throws -> TraceReadReport {
        var report = TraceReadReport()
        report.files = try traceFiles(in: paths)
        var decoder = TraceLineDecoder()
        for file in report.files {
            try readFile(file, decoder: &decoder, report: &report, body: body)
        }
        return report
    }

    /// The trace files under `paths`: files as given, folders searched recursively for `*.jsonl.gz` and
    /// `*.jsonl` (sorted by path; a `x.jsonl` beside its archive `x.jsonl.gz` is left out); each file once.
    ///
    /// - Throws: `TraceError.notFound` when a path does not exist.
    package static func traceFiles(in paths: [String]) throws(TraceError) -> [String] {
        var files: [String] = []
        var seen = Set<String>()
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { throw .notFound(path: path) }
            if info.st_mode & S_IFMT == S_IFDIR {
                var found: [String] = []
                collect(folder: path, depth: 0, into: &found)
                // A rotated plain segment is compressed next to itself, then removed: read it once, from the archive.
                let names = Set(found)
                for file in found.sorted() where !(file.hasSuffix(".jsonl") && names.contains(file + ".gz")) {
                    if seen.insert(file).inserted { files.append(file) }
                }
            } else if seen.insert(path).inserted {
                files.append(path)
            }
        }
        return files
    }

    private static func collect(folder: String, depth: Int, into found: inout [String]) {
        guard depth < 32, let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let path = base + "/" + name
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                collect(folder: path, depth: depth + 1, into: &found)
            } else if name.hasSuffix(".jsonl.gz") || name.hasSuffix(".jsonl") {
                found.append(path)
            }
        }
    }

    // MARK: - One file

    private static func readFile(
        _ file: String, decoder: inout TraceLineDecoder, report: inout TraceReadReport,
        body: (TraceEvent) throws -> Void
    ) throws {
        var file = file
        var fd = open(file, O_RDONLY | O_CLOEXEC)
        if fd < 0 && errno == ENOENT && file.hasSuffix(".jsonl") {
            // A live plain segment rotated and compressed between listing and opening.
            fd = open(file + ".gz", O_RDONLY | O_CLOEXEC)
            if fd >= 0 { file += ".gz" } else { errno = ENOENT }
        }
        guard fd >= 0 else {
            report.unreadableFiles.append(file)
            report.warnings.append("\(file): cannot open: \(String(cString: strerror(errno)))")
            return
        }
        defer { close(fd) }
        let inputSize = 256 * 1024
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: inputSize)
        defer { input.deallocate() }
        var lines = LineSplitter(file: file)
        defer { lines.settle(into: &report) }
        if file.hasSuffix(".gz") {
            try readGzip(
                file, fd: fd, input: input, inputSize: inputSize, lines: &lines, decoder: &decoder,
                report: &report, body: body)
            return
        }
        while true {
            let count = readBytes(fd, input, inputSize)
            if count < 0 {
                if errno == EINTR { continue }
                report.truncatedFiles.append(file)
                report.warnings.append("\(file): read failed: \(String(cString: strerror(errno)))")
                return
            }
            if count == 0 { break }
            try lines.feed(UnsafeBufferPointer(start: input, count: count), decoder: &decoder, report: &report, body)
        }
        try lines.end(cleanly: true, decoder: &decoder, report: &report, body)
    }

    private static func readGzip(
        _ file: String, fd: Int32, input: UnsafeMutablePointer<UInt8>, inputSize: Int, lines: inout LineSplitter,
        decoder: inout TraceLineDecoder, report: inout TraceReadReport, body: (TraceEvent) throws -> Void
    ) throws {
        let inflater: GzipInflater
        do throws(TraceError) {
            inflater = try GzipInflater()
        } catch {
            report.unreadableFiles.append(file)
            report.warnings.append("\(file): \(error)")
            return
        }
        var progress = GzipProgress()
        while true {
            if inflater.availableInput == 0 {
                let count = readBytes(fd, input, inputSize)
                if count < 0 {
                    if errno == EINTR { continue }
                    report.truncatedFiles.append(file)
                    report.warnings.append("\(file): read failed: \(String(cString: strerror(errno)))")
                    try lines.end(cleanly: false, decoder: &decoder, report: &report, body)
                    return
                }
                if count == 0 { break }
                progress.fileBytes += count
                inflater.setInput(input, count: count)
            }
            if progress.betweenMembers {
                guard let next = inflater.nextInput, next.pointee == 0x1F else {
                    report.warnings.append("\(file): bytes after the end of the gzip stream ignored")
                    break
                }
                inflater.reset()
                progress.betweenMembers = false
            }
            let damage = try inflate(
                inflater, progress: &progress, lines: &lines, decoder: &decoder, report: &report, body: body)
            if let damage {
                return damaged(
                    damage, file: file, produced: progress.producedTotal, lines: &lines, decoder: &decoder,
                    report: &report, body: body)
            }
        }
        try endGzip(file, progress: progress, lines: &lines, decoder: &decoder, report: &report, body: body)
    }

    /// One inflate step: feeds what it produced to `lines` and notes member ends and their markers.
    ///
    /// - Returns: why the compressed data is damaged, or `nil` while it reads well.
    private static func inflate(
        _ inflater: GzipInflater, progress: inout GzipProgress, lines: inout LineSplitter,
        decoder: inout TraceLineDecoder, report: inout TraceReadReport, body: (TraceEvent) throws -> Void
    ) throws -> String? {
        progress.insideMember = true
        let before = inflater.availableInput
        var produced = 0
        let step = inflater.step(produced: &produced)
        if produced > 0 {
            progress.producedTotal += produced
            try lines.feed(
                UnsafeBufferPointer(start: inflater.output, count: produced), decoder: &decoder, report: &report,
                body)
        }
        switch step {
        case .more:
            if produced == 0 && inflater.availableInput == before && before > 0 {
                progress.stalls += 1
                if progress.stalls > 2 { return "zlib made no progress" }
            } else {
                progress.stalls = 0
            }
        case .memberEnd:
            progress.insideMember = false
            progress.betweenMembers = true
            let marker = inflater.memberMarker
            if marker == GzipSegmentMarker.start { progress.markedSegment = true }
            progress.endMarked = marker == GzipSegmentMarker.end
        case .damaged(let message):
            return message
        }
        return nil
    }

    /// Ends a gzip segment read to its end: reports it empty, cut inside a member, or cut after its last batch
    /// (no end marker).
    private static func endGzip(
        _ file: String, progress: GzipProgress, lines: inout LineSplitter, decoder: inout TraceLineDecoder,
        report: inout TraceReadReport, body: (TraceEvent) throws -> Void
    ) throws {
        if progress.fileBytes == 0 {
            report.truncatedFiles.append(file)
            report.warnings.append("\(file): empty segment (the writer stopped before its first flush)")
            return
        }
        if progress.insideMember {
            report.truncatedFiles.append(file)
            let lost = lines.pendingBytes
            report.warnings.append(
                "\(file): gzip stream cut off (no trailer, e.g. the writer was killed); read up to the last complete"
                    + " line (line \(lines.lineNumber))"
                    + (lost > 0 ? ", \(counted(lost, "byte")) of an incomplete line lost" : ""))
            try lines.end(cleanly: false, decoder: &decoder, report: &report, body)
            return
        }
        if progress.markedSegment && !progress.endMarked {
            report.truncatedFiles.append(file)
            report.warnings.append(
                "\(file): segment cut off after its last complete batch (no end marker, e.g. the writer was killed);"
                    + " read up to line \(lines.lineNumber)")
            try lines.end(cleanly: false, decoder: &decoder, report: &report, body)
            return
        }
        try lines.end(cleanly: true, decoder: &decoder, report: &report, body)
    }

    private static func damaged(
        _ message: String, file: String, produced: Int, lines: inout LineSplitter, decoder: inout TraceLineDecoder,
        report: inout TraceReadReport, body: (TraceEvent) throws -> Void
    ) {
        if produced == 0 {
            report.unreadableFiles.append(file)
            report.warnings.append("\(file): not a readable gzip file (\(message))")
        } else {
            report.truncatedFiles.append(file)
            report.warnings.append(
                "\(file): compressed data damaged after line \(lines.lineNumber) (\(message)); the rest is skipped")
        }
        try? lines.end(cleanly: false, decoder: &decoder, report: &report, body)
    }
}

private func readBytes(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// Where the read of a gzip segment stands: bytes read and inflated, and where it is among the gzip members.
private struct GzipProgress {
    var fileBytes = 0
    var producedTotal = 0
    var insideMember = false
    var betweenMembers = false
    /// Segments of the member-per-batch writer open with a start marker and, when closed cleanly, end with an
    /// end marker; without it the writer was stopped (kill -9, a failed write) after its last written batch.
    var markedSegment = false
    var endMarked = false
    /// Successive steps in which zlib consumed and produced nothing.
    var stalls = 0
}
