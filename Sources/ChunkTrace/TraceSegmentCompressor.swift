import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The compression thread of a `TraceSegmentWriter`: deflates batches of lines, writes, flushes, rotates and
/// prunes segments, and survives failures.
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
    private let sliceBytes = 64 * 1024
    private let writeThreshold = 256 * 1024

    private var deflater: GzipDeflater?
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
    /// Events handed to the deflater whose bytes are not yet known to be on disk (confirmed by a flush or finish).
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
            deflater.compress(slice, flush: Z_NO_FLUSH, into: &output)
            unconfirmedEvents += lines
            remaining -= lines
            offset = end
            if output.count >= writeThreshold && !writeOutput(now: now, confirming: false) {
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

    /// Sync-flushes when due (or forced) and rotates by age.
    private func tick(now: Double, force: Bool) {
        if file != nil, let deflater, deflater.unflushedInput > 0,
            force || now - lastFlushAt >= configuration.flushInterval
        {
            deflater.compress(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_SYNC_FLUSH, into: &output)
            if writeOutput(now: now, confirming: true) { outcome.flushes += 1 }
        }
        if now - lastFlushAt >= configuration.flushInterval || force { lastFlushAt = now }
        if file != nil, segmentWritten > 0, now - openedAt >= configuration.segmentSeconds {
            closeSegment(rotating: true)
        }
    }

    /// Ends the current segment (Z_FINISH) and closes it; the next data opens a new one, so an idle node never
    /// makes empty segments.
    private func closeSegment(rotating: Bool) {
        guard let current = file, let deflater else { return }
        deflater.compress(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH, into: &output)
        guard writeOutput(now: TraceSegmentWriter.monotonicSeconds(), confirming: true) else { return }
        outcome.flushes += 1
        file = nil
        deflater.reset()
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
            if deflater == nil { deflater = try GzipDeflater(level: Int32(configuration.compressionLevel)) }
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

    private func writeOutput(now: Double, confirming: Bool) -> Bool {
        guard let current = file else { return output.isEmpty }
        if output.isEmpty {
            if confirming { confirm() }
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
        if confirming { confirm() }
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
        deflater?.reset()
        output.removeAll(keepingCapacity: true)
    }
}
