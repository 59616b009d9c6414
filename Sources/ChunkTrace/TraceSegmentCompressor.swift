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
/// Used only by that one thread after `init`.
final class TraceSegmentCompressor: @unchecked Sendable {
    private let directory: String
    private let nodePrefix: String
    private let startStamp: String
    private let configuration: TraceSegmentWriter.Configuration
    private let fileSystem: any SegmentFileSystem
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
    /// A segment was closed for rotation; the rotation counts once the next one opens.
    private var rotationPending = false

    init(
        directory: String, nodePrefix: String, startStamp: String, configuration: TraceSegmentWriter.Configuration,
        fileSystem: any SegmentFileSystem, report: @escaping @Sendable (String) -> Void
    ) {
        self.directory = directory
        self.nodePrefix = nodePrefix
        self.startStamp = startStamp
        self.configuration = configuration
        self.fileSystem = fileSystem
        self.report = report
        retryInterval = configuration.retryInterval ?? min(configuration.segmentSeconds, 10)
        do throws(TraceError) {
            try fileSystem.makeDirectory(directory)
        } catch {
            fail(error, now: TraceSegmentWriter.monotonicSeconds())
        }
    }

    /// The thread's body: runs until the queue is finishing and everything is written.
    func run(_ queue: TraceWriterQueue) {
        var batch: [UInt8] = []
        lastFlushAt = TraceSegmentWriter.monotonicSeconds()
        while true {
            let taken = queue.take(into: &batch, deadline: lastFlushAt + configuration.flushInterval)
            let now = TraceSegmentWriter.monotonicSeconds()
            if !batch.isEmpty { compress(batch, events: taken.events, now: now) }
            batch.removeAll(keepingCapacity: batch.capacity <= 8 << 20)
            let flushNow = taken.finishing || taken.flushTicket > lastFlushTicket
            lastFlushTicket = taken.flushTicket
            tick(now: TraceSegmentWriter.monotonicSeconds(), force: flushNow)
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
            var end = min(offset + sliceBytes, count)
            while end < count && batch[end - 1] != UInt8(ascii: "\n") { end += 1 }
            let slice = batch[offset..<end]
            let lines = slice.withUnsafeBufferPointer(Self.countLines)
            do throws(TraceError) {
                try deflater.compressMember(slice, into: &output)
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
        guard let current = file else { return }
        output.append(contentsOf: GzipSegmentMarker.segmentEnd)
        guard writeOutput(now: TraceSegmentWriter.monotonicSeconds()) else { return }
        outcome.flushes += 1
        file = nil
        do throws(TraceError) {
            try current.close()
        } catch {
            fail(error, now: TraceSegmentWriter.monotonicSeconds())
            return
        }
        if rotating { rotationPending = true }
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
                let candidate = "\(directory)/\(nodePrefix)\(startStamp)-\(padded).jsonl.gz"
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
        if rotationPending {
            rotationPending = false
            outcome.rotations += 1
        }
        output.removeAll(keepingCapacity: true)
        output.append(contentsOf: GzipSegmentMarker.segmentStart)
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

    /// Writes `output` (whole members) to the segment; the events in it count as written.
    private func writeOutput(now: Double) -> Bool {
        guard let current = file else { return output.isEmpty }
        if output.isEmpty {
            confirm()
            return true
        }
        let result: Result<Void, TraceError> = output.withUnsafeBytes { bytes in
            do throws(TraceError) { return .success(try current.write(bytes)) } catch { return .failure(error) }
        }
        if case .failure(let error) = result {
            fail(error, now: now)
            return false
        }
        segmentWritten += output.count
        outcome.bytesWritten += UInt64(output.count)
        output.removeAll(keepingCapacity: true)
        confirm()
        return true
    }

    private func confirm() {
        outcome.events += UInt64(unconfirmedEvents)
        unconfirmedEvents = 0
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
