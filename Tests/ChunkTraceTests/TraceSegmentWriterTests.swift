import Foundation
import Synchronization
import TestSupport
import Testing

@testable import ChunkTrace

struct TraceSegmentWriterTests {
    private func write(
        _ count: Int, to folder: TemporaryFolder, node: String = "127.0.0.1:5001",
        configuration: TraceSegmentWriter.Configuration = .init(), compressor: TraceCompressor = .preferred,
        finish: Bool = true
    ) -> TraceSegmentWriter {
        var configuration = configuration
        configuration.compressor = compressor
        let writer = TraceSegmentWriter(directory: folder.path, role: .peer, node: node, configuration: configuration)
        for seq in 1...count { writer.record(SampleEvents.realistic(seq: UInt64(seq), node: node)) }
        if finish { writer.finish() }
        return writer
    }

    @Test(
        "segments are standard gzip: real zcat and jq read back every line exactly as written",
        arguments: TraceCompressor.built)
    func zcatAndJQ(compressor: TraceCompressor) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = write(2000, to: folder, compressor: compressor)
        let files = writer.segmentPaths()
        try #require(files.count == 1)
        #expect(files[0].hasSuffix("-000001.jsonl.gz"))
        let name = try #require(files[0].split(separator: "/").last)
        #expect(name.hasPrefix("peer-127.0.0.1-5001-2"))

        let result = try await ProcessRunner.shell("zcat \(ProcessRunner.quote(files[0])) | jq -c .")
        #expect(result.status == 0, "\(result.stderr)")
        let expected = (1...2000).map {
            TraceLineEncoder.line(SampleEvents.realistic(seq: UInt64($0), node: "127.0.0.1:5001"))
        }
        #expect(result.lines.count == expected.count)
        let mismatch = zip(result.lines, expected).first { $0.0 != $0.1 }
        #expect(mismatch == nil, "jq: \(mismatch?.0 ?? "")\nours: \(mismatch?.1 ?? "")")

        let statistics = writer.statistics
        #expect(statistics.events == 2000)
        #expect(statistics.droppedEvents == 0)
        #expect(statistics.writeErrors == 0)
        #expect(statistics.queueBytes == 0)
        #expect(statistics.flushes >= 1)
        let size = try FileManager.default.attributesOfItem(atPath: files[0])[.size] as? Int
        #expect(statistics.bytesWritten == UInt64(size ?? -1))
    }

    @Test(
        "rotation by size makes several valid gzip segments that together hold every event in order",
        arguments: TraceCompressor.built)
    func rotationBySize(compressor: TraceCompressor) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = write(
            30000, to: folder, configuration: .init(segmentBytes: 8 * 1024, keepSegments: 1000), compressor: compressor)
        let files = writer.segmentPaths()
        #expect(files.count > 3)
        #expect(writer.statistics.rotations == UInt64(files.count - 1))
        for file in files {
            let check = try await ProcessRunner.shell("gzip -t \(ProcessRunner.quote(file))")
            #expect(check.status == 0, "\(file): \(check.stderr)")
        }
        let all = try await ProcessRunner.shell(
            "zcat \(files.map(ProcessRunner.quote).joined(separator: " ")) | jq -c .seq")
        #expect(all.status == 0)
        #expect(all.lines == (1...30000).map(String.init))
    }

    @Test("only the newest segments of this node are kept; other nodes' files are left alone")
    func retention() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let others = [
            "peer-127.0.0.1-50011-20200101T000000.000000Z-000001.jsonl.gz",
            "client-127.0.0.1-5001-20200101T000000.000000Z-000001.jsonl.gz", "notes.txt",
        ]
        for name in others { _ = FileManager.default.createFile(atPath: folder.file(name), contents: Data([1])) }

        let writer = write(30000, to: folder, configuration: .init(segmentBytes: 8 * 1024, keepSegments: 3))
        let kept = writer.segmentPaths()
        #expect(kept.count == 3)
        #expect(writer.statistics.rotations > 3)
        let numbers = kept.compactMap { $0.split(separator: "-").last?.prefix(6) }.compactMap { Int($0) }
        #expect(numbers == Array((Int(writer.statistics.rotations) - 1)...Int(writer.statistics.rotations) + 1))
        for name in others { #expect(FileManager.default.fileExists(atPath: folder.file(name))) }

        let report = try TraceReader.read(paths: kept)
        #expect(report.isComplete)
        #expect(report.events.last?.seq == 30000)
    }

    @Test("rotation by age closes a segment holding data once it is old enough")
    func rotationByAge() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let clock = ManualClock()
        let writer = TraceSegmentWriter(
            directory: folder.path, role: .client, node: "127.0.0.1:7320",
            configuration: .init(segmentSeconds: 60, keepSegments: 100), fileSystem: POSIXSegmentFileSystem(),
            clock: clock, report: { _ in })
        writer.record(SampleEvents.realistic(seq: 1))
        clock.advance(by: 1)
        writer.record(SampleEvents.realistic(seq: 2))
        clock.advance(by: 59)
        #expect(writer.segmentPaths().count == 1)
        #expect(writer.statistics.rotations == 0)
        clock.advance(by: 1)
        writer.record(SampleEvents.realistic(seq: 3))
        writer.finish()
        let files = writer.segmentPaths()
        #expect(files.count == 2)
        #expect(writer.statistics.rotations == 1)
        #expect(files.allSatisfy { $0.contains("/client-127.0.0.1-7320-") })
        for file in files {
            #expect(try await ProcessRunner.shell("gzip -t \(ProcessRunner.quote(file))").status == 0)
        }
        #expect(try files.map { try TraceReader.read(paths: [$0]).events.map(\.seq) } == [[1, 2], [3]])
        let report = try TraceReader.read(paths: [folder.path])
        #expect(report.isComplete)
    }

    @Test("an idle writer does not rotate empty segments away")
    func idleDoesNotRotate() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let clock = ManualClock()
        let writer = TraceSegmentWriter(
            directory: folder.path, role: .peer, node: "127.0.0.1:5001",
            configuration: .init(segmentSeconds: 0.1, keepSegments: 1), fileSystem: POSIXSegmentFileSystem(),
            clock: clock, report: { _ in })
        writer.record(SampleEvents.realistic(seq: 1))
        writer.flush()
        for _ in 0..<5 { clock.advance(by: 0.5) }
        writer.finish()
        #expect(writer.statistics.rotations == 0)
        #expect(writer.segmentPaths().count == 1)
        let report = try TraceReader.read(paths: [folder.path])
        #expect(report.events.map(\.seq) == [1])
    }

    @Test("a restart never appends to an old segment")
    func restartMakesNewFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = write(10, to: folder).segmentPaths()
        let before = try first.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let second = write(10, to: folder).segmentPaths()
        #expect(second.count == 2)
        #expect(Set(second).isSuperset(of: first))
        #expect(try first.map { try Data(contentsOf: URL(fileURLWithPath: $0)) } == before)
    }

    @Test(
        "a segment cut off after a flush (no finish, as after kill -9) reads up to the flush",
        arguments: TraceCompressor.built)
    func cutOffSegment(compressor: TraceCompressor) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = write(500, to: folder, compressor: compressor, finish: false)
        writer.flush()
        let live = try #require(writer.segmentPaths().first)
        let copy = folder.file("copy/peer-127.0.0.1-5001-x-000001.jsonl.gz")
        try FileManager.default.createDirectory(atPath: folder.file("copy"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: live, toPath: copy)
        writer.finish()

        let report = try TraceReader.read(paths: [copy])
        #expect(report.events.map(\.seq) == Array(1...500))
        #expect(report.truncatedFiles == [copy])
        #expect(report.damagedLines == 0)
        #expect(report.warnings.contains { $0.contains(copy) && $0.contains("cut off") })

        // What was written is whole gzip members: zcat reads all of it without complaint.
        let zcat = try await ProcessRunner.shell("zcat \(ProcessRunner.quote(copy))")
        #expect(zcat.status == 0, "\(zcat.stderr)")
        #expect(zcat.lines.count == 500)

        // Cut further, inside the compressed data: everything before the cut still reads, in order.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: copy))
        try bytes.prefix(bytes.count * 2 / 3).write(to: URL(fileURLWithPath: copy))
        let partial = try TraceReader.read(paths: [copy])
        #expect(partial.events.count > 100)
        #expect(partial.events.map(\.seq) == Array(1...UInt64(partial.events.count)))
        #expect(partial.truncatedFiles == [copy])
        #expect(partial.damagedLines == 0)
    }

    @Test(
        "every flush adds a whole gzip member; zcat, gzip -t and the reader see one complete file",
        arguments: TraceCompressor.built)
    func flushesMakeMembers(compressor: TraceCompressor) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = TraceSegmentWriter(
            directory: folder.path, role: .peer, node: "127.0.0.1:5001", configuration: .init(compressor: compressor))
        var sizes: [Int] = []
        for round in 0..<5 {
            for seq in 1...40 { writer.record(SampleEvents.realistic(seq: UInt64(round * 40 + seq))) }
            writer.flush()
            let path = try #require(writer.segmentPaths().first)
            sizes.append(try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
            let partial = try await ProcessRunner.shell("zcat \(ProcessRunner.quote(path)) | jq -c .seq")
            #expect(partial.status == 0, "\(partial.stderr)")
            #expect(partial.lines == (1...(round + 1) * 40).map(String.init))
        }
        writer.finish()
        #expect(sizes == sizes.sorted() && Set(sizes).count == sizes.count)
        let files = writer.segmentPaths()
        #expect(files.count == 1)
        let file = try #require(files.first)
        #expect(try await ProcessRunner.shell("gzip -t \(ProcessRunner.quote(file))").status == 0)
        let report = try TraceReader.read(paths: files)
        #expect(report.events.map(\.seq) == Array(1...200))
        #expect(report.isComplete, "\(report.warnings)")
    }

    @Test(
        "a segment cut inside a later member keeps the earlier members whole and reads up to the cut",
        arguments: TraceCompressor.built)
    func cutInsideLastMember(compressor: TraceCompressor) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = TraceSegmentWriter(
            directory: folder.path, role: .peer, node: "127.0.0.1:5001", configuration: .init(compressor: compressor))
        for seq in 1...300 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.flush()
        let live = try #require(writer.segmentPaths().first)
        let firstMembers = try Data(contentsOf: URL(fileURLWithPath: live)).count
        for seq in 301...3000 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.finish()
        let whole = try Data(contentsOf: URL(fileURLWithPath: live))
        let copy = folder.file("copy/peer-127.0.0.1-5001-x-000001.jsonl.gz")
        try FileManager.default.createDirectory(atPath: folder.file("copy"), withIntermediateDirectories: true)
        try whole.prefix(firstMembers + (whole.count - firstMembers) / 2).write(to: URL(fileURLWithPath: copy))

        let report = try TraceReader.read(paths: [copy])
        #expect(report.events.count > 300)
        #expect(report.events.count < 3000)
        #expect(report.events.map(\.seq) == Array(1...UInt64(report.events.count)))
        #expect(report.truncatedFiles == [copy])
        #expect(report.damagedLines == 0)
        let zcat = try await ProcessRunner.shell("zcat \(ProcessRunner.quote(copy)) | jq -c .seq")
        #expect(zcat.lines.count >= 300)
    }

    @Test("events recorded without an explicit flush reach the file once the flush interval has passed")
    func periodicFlush() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let clock = ManualClock()
        let writer = TraceSegmentWriter(
            directory: folder.path, role: .peer, node: "127.0.0.1:5001", configuration: .init(flushInterval: 0.25),
            fileSystem: POSIXSegmentFileSystem(), clock: clock, report: { _ in })
        for seq in 1...50 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        clock.advance(by: 0.125)
        #expect(writer.statistics.events == 0)
        clock.advance(by: 0.125)
        #expect(writer.statistics.events == 50)
        #expect(try TraceReader.read(paths: [folder.path]).events.count == 50)
        writer.finish()
    }

    @Test("an unusable folder is reported once, counted, and the writer keeps accepting events")
    func unusableFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = FileManager.default.createFile(atPath: folder.file("plain-file"), contents: Data())
        let reports = ReportLog()
        let clock = ManualClock()
        let writer = TraceSegmentWriter(
            directory: folder.file("plain-file/traces"), role: .peer, node: "127.0.0.1:5001",
            configuration: .init(segmentSeconds: 0.1, retryInterval: 0.05), fileSystem: POSIXSegmentFileSystem(),
            clock: clock, report: reports.add)
        for seq in 1...20 {
            writer.record(SampleEvents.realistic(seq: UInt64(seq)))
            if seq % 5 == 0 { clock.advance(by: 0.25) }
        }
        writer.finish()
        let statistics = writer.statistics
        #expect(statistics.writeErrors >= 2)
        #expect(statistics.droppedEvents == 20)
        #expect(statistics.events == 0)
        #expect(reports.messages.count == 1)
        #expect(reports.messages.first?.contains("plain-file") == true)
    }

    @Test("a failing write (full disk) is reported once, counted, and writing resumes in a new segment")
    func failingWrites() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let fileSystem = FlakyFileSystem()
        let reports = ReportLog()
        let clock = ManualClock()
        let writer = TraceSegmentWriter(
            directory: folder.path, role: .peer, node: "127.0.0.1:5001",
            configuration: .init(keepSegments: 10, retryInterval: 0.05), fileSystem: fileSystem, clock: clock,
            report: reports.add)
        for seq in 1...100 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.flush()
        fileSystem.failing.withLock { $0 = true }
        for seq in 101...200 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.flush()
        for seq in 201...300 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.flush()
        fileSystem.failing.withLock { $0 = false }
        clock.advance(by: 0.1)
        for seq in 301...400 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.finish()

        let statistics = writer.statistics
        #expect(statistics.writeErrors >= 1)
        #expect(statistics.droppedEvents >= 100)
        #expect(statistics.events + statistics.droppedEvents == 400)
        #expect(reports.messages.count == 2)
        #expect(reports.messages.first?.contains("No space left on device") == true)
        #expect(reports.messages.last?.contains("writing again") == true)

        let report = try TraceReader.read(paths: [folder.path])
        let seqs = report.events.map(\.seq)
        #expect(Array(seqs.prefix(100)) == Array(1...100))
        #expect(Array(seqs.suffix(100)) == Array(301...400))
        #expect(report.files.count == 2)
        #expect(report.damagedLines == 0)
    }

    @Test(
        "a deleted trace folder is noticed at the next write, reported once, counted, and recreated",
        arguments: TraceFormat.allCases)
    func deletedFolder(format: TraceFormat) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let traces = folder.file("traces")
        let reports = ReportLog()
        var configuration = TraceSegmentWriter.Configuration()
        configuration.format = format
        let writer = TraceSegmentWriter(
            directory: traces, role: .peer, node: "127.0.0.1:5001", configuration: configuration,
            fileSystem: POSIXSegmentFileSystem(), clock: ManualClock(), report: reports.add)
        for seq in 1...100 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.flush()
        try FileManager.default.removeItem(atPath: traces)
        for seq in 101...200 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.flush()
        #expect(writer.statistics.writeErrors == 1)
        #expect(reports.messages.count == 1)
        #expect(reports.messages.first?.contains("deleted or replaced") == true)
        #expect(reports.messages.first?.contains("100 events") == true)
        for seq in 201...300 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.finish()

        #expect(reports.messages.count == 1)
        let statistics = writer.statistics
        #expect(statistics.events == 300)
        #expect(statistics.droppedEvents == 0)
        let files = writer.segmentPaths()
        #expect(files.count == 1)
        #expect(files.first?.hasSuffix("-000002" + format.liveSuffix) == true)
        let report = try TraceReader.read(paths: [traces])
        #expect(report.events.map(\.seq) == Array(101...300))
        #expect(report.isComplete, "\(report.warnings)")
    }

    @Test("a segment replaced by another file is left alone; writing goes on in a new segment")
    func replacedSegment() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let reports = ReportLog()
        let writer = TraceSegmentWriter(
            directory: folder.path, role: .peer, node: "127.0.0.1:5001", configuration: .init(),
            fileSystem: POSIXSegmentFileSystem(), clock: ManualClock(), report: reports.add)
        for seq in 1...100 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.flush()
        let first = try #require(writer.segmentPaths().first)
        let stranger = Data("someone else's file\n".utf8)
        try stranger.write(to: URL(fileURLWithPath: folder.file("stranger")))
        #expect(rename(folder.file("stranger"), first) == 0)
        for seq in 101...200 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.finish()

        #expect(writer.statistics.writeErrors == 1)
        #expect(reports.messages.count == 1)
        #expect(reports.messages.first?.contains(first) == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == stranger)
        let files = writer.segmentPaths()
        #expect(files.count == 2)
        let second = try #require(files.last)
        let report = try TraceReader.read(paths: [second])
        #expect(report.events.map(\.seq) == Array(101...200))
        #expect(report.isComplete)
    }

    @Test("when the queue is full, events are dropped and counted instead of blocking the caller")
    func backpressure() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let fileSystem = FlakyFileSystem()
        fileSystem.stall(true)
        let writer = TraceSegmentWriter(
            directory: folder.path, role: .peer, node: "127.0.0.1:5001",
            configuration: .init(maxQueueBytes: 64 * 1024), fileSystem: fileSystem, report: { _ in })
        writer.record(SampleEvents.realistic(seq: 1))
        try #require(fileSystem.waitForStalledWrite())
        for seq in 2...5000 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        let during = writer.statistics
        fileSystem.stall(false)
        writer.finish()
        let statistics = writer.statistics
        #expect(during.droppedEvents > 0)
        #expect(during.queueBytes > 0)
        #expect(statistics.events + statistics.droppedEvents == 5000)
        let report = try TraceReader.read(paths: [folder.path])
        #expect(report.events.count == Int(statistics.events))
    }

    @Test("records after finish are ignored and finish can be called twice")
    func finishTwice() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = write(5, to: folder)
        writer.record(SampleEvents.realistic(seq: 6))
        writer.finish()
        writer.flush()
        #expect(try TraceReader.read(paths: [folder.path]).events.count == 5)
    }
}
