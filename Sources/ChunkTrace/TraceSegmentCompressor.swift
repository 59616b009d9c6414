import Plurals

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The compression thread of a `TraceSegmentWriter`: compresses batches of lines into gzip members (igzip or zlib),
/// writes, flushes, rotates and prunes segments, and survives failures.
///
/// A segment is `GzipSegmentMarker.segmentStart`, one member per slice of at most `sliceBytes` (ending at a line
/// end), and `segmentEnd` when it is closed. Members are only written whole, so whatever reached the file reads
/// back; a flush is a write of the members compressed so far.
///
/// In the `jsonl` format the segment holds the lines as they are, and a segment closed for rotation is compressed
/// into `.jsonl.gz` (`PlainSegmentArchiver`); the last segment stays plain.
///
/// Before each write it checks that the segment's path still names the open file (device and inode): after an
/// `rm -rf` of the folder, or another file put in the segment's place, it reports and counts that once, recreates
/// the folder and writes on in a new segment, instead of into a file nobody can read.
///
/// Used only by that one thread after `init`.
final class TraceSegmentCompressor: @unchecked Sendable {
    private let directory: String
    private let nodePrefix: String
    private let startStamp: String
    private let configuration: TraceSegmentWriter.Configuration
    private let fileSystem: any SegmentFileSystem
    private let clock: any TraceWriterClock
    private let report: @Sendable (String) -> Void
    private let retryInterval: Double
    private let sliceBytes = 256 * 1024
    private let writeThreshold = 256 * 1024

    private var deflater: (any GzipMemberCompressor)?
    private var file: (any SegmentFile)?
    private var path = ""
    private var segmentNumber = 0
    private var openedAt = 0.0
    private var segmentWritten = 0
    private var lastFlushAt = 0.0
    private var output: [UInt8] = []
    private var failing = false
    private var retryAt = 0.0
    private var outcome = TraceWriterQueue.Outcome()
    private var lastFlushTicket: UInt64 = 0
    /// Events compressed into `output` and not yet written.
    private var unconfirmedEvents = 0
    /// Events written to the open segment.
    private var segmentEvents = 0
    /// A segment was closed for rotation; the rotation counts once the next one opens.
    private var rotationPending = false

    init(
        directory: String, nodePrefix: String, startStamp: String, configuration: TraceSegmentWriter.Configuration,
        fileSystem: any SegmentFileSystem, clock: any TraceWriterClock, report: @escaping @Sendable (String) -> Void
    ) {
        self.directory = directory
        self.nodePrefix = nodePrefix
        self.startStamp = startStamp
        self.configuration = configuration
        self.fileSystem = fileSystem
        self.clock = clock
        self.report = report
        retryInterval = configuration.retryInterval ?? min(configuration.segmentSeconds, 10)
        // Timed from the writer's start, not from whenever its thread first runs.
        lastFlushAt = clock.now()
        do throws(TraceError) {
            try fileSystem.makeDirectory(directory)
        } catch {
            fail(error, now: clock.now())
        }
    }

    /// The thread's body: runs until the queue is finishing and everything is written.
    func run(_ queue: TraceWriterQueue) {
        var batch: [UInt8] = []
        while true {
            let taken = queue.take(into: &batch, deadline: lastFlushAt + configuration.flushInterval)
            let now = clock.now()
            if !batch.isEmpty { compress(batch, events: taken.events, now: now) }
            batch.removeAll(keepingCapacity: batch.capacity <= 8 << 20)
            let flushNow = taken.finishing || taken.flushTicket > lastFlushTicket
            lastFlushTicket = taken.flushTicket
            tick(now: clock.now(), force: flushNow)
            if taken.finishing { closeSegment(rotating: false) }
            queue.complete(outcome, flushTicket: taken.flushTicket, finished: taken.finishing)
            outcome = TraceWriterQueue.Outcome()
            if taken.finishing { return }
        }
    }

    // MARK: - Steps

    private func compress(_ batch: [UInt8], events: Int, now: Double) {
        var offset = 0
        var remaining = events
        let count = batch.count
        while offset < count {
            guard openIfNeeded(now: now), let deflater else {
                outcome.droppedEvents += UInt64(max(0, remaining))
                return
            }
            // Plain lines are not shrunk by compression: cut where the segment is full, so it rotates near its size.
            let room =
                configuration.format == .jsonl
                ? max(1, configuration.segmentBytes - segmentWritten - output.count) : sliceBytes
            var end = min(offset + min(sliceBytes, room), count)
            while end < count && batch[end - 1] != UInt8(ascii: "\n") { end += 1 }
            let slice = batch[offset..<end]
            let lines = slice.withUnsafeBufferPointer(Self.countLines)
            do throws(TraceError) {
                switch configuration.format {
                case .gzip: try deflater.compressMember(slice, into: &output)
                case .jsonl: output.append(contentsOf: slice)
                }
                unconfirmedEvents += lines
            } catch {
                outcome.droppedEvents += UInt64(lines)
                outcome.writeErrors += 1
                report("\(error); \(lines) trace events dropped")
            }
            remaining -= lines
            offset = end
            if output.count >= writeThreshold && !writeOutput(now: now) {
                outcome.droppedEvents += UInt64(max(0, remaining))
                return
            }
            if segmentWritten + output.count >= configuration.segmentBytes { closeSegment(rotating: true) }
        }
    }

    private static func countLines(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var lines = 0
        var offset = 0
        while offset < bytes.count, let found = memchr(base + offset, 0x0A, bytes.count - offset) {
            lines += 1
            offset = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base + 1
        }
        return lines
    }

    /// Writes the members compressed so far when due (or forced) and rotates by age.
    private func tick(now: Double, force: Bool) {
        if file != nil, !output.isEmpty, force || now - lastFlushAt >= configuration.flushInterval {
            if writeOutput(now: now) { outcome.flushes += 1 }
        }
        if now - lastFlushAt >= configuration.flushInterval || force { lastFlushAt = now }
        if file != nil, segmentWritten > 0, now - openedAt >= configuration.segmentSeconds {
            closeSegment(rotating: true)
        }
    }

    /// Ends the current segment (its end member) and closes it; the next data opens a new one, so an idle node
    /// never makes empty segments.
    private func closeSegment(rotating: Bool) {
        guard file != nil else { return }
        if output.isEmpty && segmentIsLost() {
            abandonLostSegment()
            return
        }
        if configuration.format == .gzip { output.append(contentsOf: GzipSegmentMarker.segmentEnd) }
        guard writeOutput(now: clock.now()), let current = file else { return }
        outcome.flushes += 1
        file = nil
        do throws(TraceError) {
            try current.close()
        } catch {
            fail(error, now: clock.now())
            return
        }
        guard rotating else { return }
        rotationPending = true
        if configuration.format == .jsonl { archive(path) }
    }

    /// Compresses a rotated plain segment into `.jsonl.gz`; on failure the plain file stays, reported and counted.
    private func archive(_ plainPath: String) {
        guard let deflater else { return }
        do throws(TraceError) {
            let written = try PlainSegmentArchiver.archive(
                plainPath, compressor: deflater, sliceBytes: sliceBytes, fileSystem: fileSystem)
            outcome.bytesWritten += UInt64(written)
        } catch TraceError.system(_, _, let code) where code == ENOENT {
            outcome.writeErrors += 1
            report(
                "trace segment \(plainPath) was deleted or replaced before it could be compressed; writing on in a new "
                    + "segment in \(directory)")
        } catch {
            outcome.writeErrors += 1
            report("cannot compress the rotated segment \(plainPath): \(error); it stays uncompressed")
        }
    }

    private func openIfNeeded(now: Double) -> Bool {
        if file != nil { return true }
        if failing && now < retryAt { return false }
        do throws(TraceError) {
            if deflater == nil {
                deflater = try configuration.compressor.makeMemberCompressor(level: configuration.compressionLevel)
            }
            try fileSystem.makeDirectory(directory)
            var attempts = 0
            while true {
                segmentNumber += 1
                attempts += 1
                let number = String(segmentNumber)
                let padded = String(repeating: "0", count: max(0, 6 - number.count)) + number
                let candidate = "\(directory)/\(nodePrefix)\(startStamp)-\(padded)\(configuration.format.liveSuffix)"
                do {
                    file = try fileSystem.createNew(candidate)
                    path = candidate
                    break
                } catch TraceError.system(_, _, let code) where code == EEXIST && attempts < 1000 {
                    continue
                }
            }
        } catch {
            fail(error, now: now)
            return false
        }
        openedAt = now
        segmentWritten = 0
        segmentEvents = 0
        if rotationPending {
            rotationPending = false
            outcome.rotations += 1
        }
        if failing {
            failing = false
            report("writing again, to \(path)")
        }
        prune()
        return true
    }

    /// Deletes this node's oldest segments beyond `keepSegments`.
    private func prune() {
        do throws(TraceError) {
            let names = TraceSegmentWriter.segmentNames(
                in: try fileSystem.list(directory), nodePrefix: nodePrefix)
            for name in names.dropLast(configuration.keepSegments) {
                try fileSystem.remove(directory + "/" + name)
            }
        } catch {
            outcome.writeErrors += 1
            report("cannot prune old segments: \(error)")
        }
    }

    /// Writes `output` (whole members; the segment's start marker first, on its first write) to the segment; the
    /// events in it count as written. A lost segment is replaced by a new one first.
    private func writeOutput(now: Double) -> Bool {
        guard file != nil else { return output.isEmpty }
        if output.isEmpty {
            confirm()
            return true
        }
        if segmentIsLost() {
            abandonLostSegment()
            guard openIfNeeded(now: now) else { return false }
        }
        guard let current = file else { return false }
        if segmentWritten == 0 && configuration.format == .gzip {
            guard write(GzipSegmentMarker.segmentStart, to: current, now: now) else { return false }
        }
        guard write(output, to: current, now: now) else { return false }
        output.removeAll(keepingCapacity: true)
        confirm()
        return true
    }

    private func write(_ bytes: [UInt8], to current: any SegmentFile, now: Double) -> Bool {
        let result: Result<Void, TraceError> = bytes.withUnsafeBytes { bytes in
            do throws(TraceError) { return .success(try current.write(bytes)) } catch { return .failure(error) }
        }
        if case .failure(let error) = result {
            fail(error, now: now)
            return false
        }
        segmentWritten += bytes.count
        outcome.bytesWritten += UInt64(bytes.count)
        return true
    }

    private func confirm() {
        outcome.events += UInt64(unconfirmedEvents)
        segmentEvents += unconfirmedEvents
        unconfirmedEvents = 0
    }

    /// Whether the open segment's path no longer names it: the folder or the file was deleted, or another file was
    /// put in its place. Writing on would go into a file nobody can read.
    private func segmentIsLost() -> Bool {
        guard let identity = file?.identity else { return false }
        return fileSystem.identity(of: path) != identity
    }

    /// Closes a lost segment, counts it as a write error and says so. What is not written yet stays in `output`
    /// for the next segment, which `openIfNeeded` creates, with the folder if it is gone.
    private func abandonLostSegment() {
        outcome.writeErrors += 1
        report(
            "trace segment \(path) was deleted or replaced (the \(counted(segmentEvents, "event")) written to it "
                + "\(segmentEvents == 1 ? "is" : "are") no longer in the folder); writing on in a new segment in "
                + directory)
        try? file?.close()
        file = nil
    }

    /// Counts and (once per failure streak) reports a failure, abandons the current segment and schedules a retry.
    private func fail(_ error: TraceError, now: Double) {
        outcome.writeErrors += 1
        outcome.droppedEvents += UInt64(unconfirmedEvents)
        unconfirmedEvents = 0
        if !failing {
            report(
                "\(error); trace events are dropped (and counted) until a new segment can be written, next try in "
                    + "\(retryInterval) s")
        }
        failing = true
        retryAt = now + retryInterval
        if let current = file { try? current.close() }
        file = nil
        output.removeAll(keepingCapacity: true)
    }
}
