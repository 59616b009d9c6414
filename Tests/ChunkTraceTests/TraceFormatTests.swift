import Foundation
import TestSupport
import Testing

@testable import ChunkTrace

/// The `jsonl` live format: a plain segment log shippers can tail, compressed when it rotates.
struct TraceFormatTests {
    private func jsonlWriter(
        _ folder: TemporaryFolder, node: String = "127.0.0.1:5001", segmentBytes: Int = 8 << 20
    ) -> TraceSegmentWriter {
        var configuration = TraceSegmentWriter.Configuration(segmentBytes: segmentBytes, keepSegments: 1000)
        configuration.format = .jsonl
        return TraceSegmentWriter(
            directory: folder.path, role: .peer, node: node, configuration: configuration,
            fileSystem: POSIXSegmentFileSystem(), clock: ManualClock(), report: { _ in })
    }

    private func lines(_ seqs: ClosedRange<Int>, node: String = "127.0.0.1:5001") -> [String] {
        seqs.map { TraceLineEncoder.line(SampleEvents.realistic(seq: UInt64($0), node: node)) }
    }

    @Test("a live jsonl segment is plain JSON lines that jq and the reader read while it grows")
    func liveSegmentGrows() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = jsonlWriter(folder)
        for seq in 1...100 { writer.record(SampleEvents.realistic(seq: UInt64(seq), node: "127.0.0.1:5001")) }
        writer.flush()
        let live = try #require(writer.segmentPaths().first)
        #expect(live.hasSuffix("-000001.jsonl"))
        #expect(try String(contentsOfFile: live, encoding: .utf8) == lines(1...100).joined(separator: "\n") + "\n")
        let reader = try TraceReader.read(paths: [folder.path])
        #expect(reader.events.map(\.seq) == Array(1...100))
        #expect(reader.isComplete, "\(reader.warnings)")

        for seq in 101...250 { writer.record(SampleEvents.realistic(seq: UInt64(seq), node: "127.0.0.1:5001")) }
        writer.flush()
        let jq = try await ProcessRunner.shell("jq -c . \(ProcessRunner.quote(live))")
        #expect(jq.status == 0, "\(jq.stderr)")
        #expect(jq.lines == lines(1...250))

        writer.finish()
        #expect(writer.segmentPaths() == [live])
        #expect(try TraceReader.read(paths: [live]).events.map(\.seq) == Array(1...250))
    }

    @Test("a rotated jsonl segment is compressed to .jsonl.gz that gzip -t and zcat read; the live one stays plain")
    func rotatedSegmentsAreGzip() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = jsonlWriter(folder, segmentBytes: 64 * 1024)
        for seq in 1...3000 { writer.record(SampleEvents.realistic(seq: UInt64(seq), node: "127.0.0.1:5001")) }
        writer.finish()

        let files = writer.segmentPaths()
        #expect(files.count > 3)
        #expect(writer.statistics.rotations == UInt64(files.count - 1))
        #expect(writer.statistics.writeErrors == 0)
        #expect(files.dropLast().allSatisfy { $0.hasSuffix(".jsonl.gz") })
        #expect(files.last?.hasSuffix(".jsonl") == true)
        #expect(try folder.names().allSatisfy { !$0.hasSuffix(".partial") })
        for file in files.dropLast() {
            let check = try await ProcessRunner.shell("gzip -t \(ProcessRunner.quote(file))")
            #expect(check.status == 0, "\(file): \(check.stderr)")
        }
        let archives = files.dropLast().map(ProcessRunner.quote).joined(separator: " ")
        let all = try await ProcessRunner.shell(
            "{ zcat \(archives); cat \(ProcessRunner.quote(files[files.count - 1])); } | jq -c .seq")
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.lines == (1...3000).map(String.init))

        let report = try TraceReader.read(paths: [folder.path])
        #expect(report.events.map(\.seq) == Array(1...3000))
        #expect(report.isComplete, "\(report.warnings)")
    }

    @Test("the reader reads a mixed folder: gzip segments, jsonl archives and live segments, each segment once")
    func mixedFolder() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let gzipNode = "127.0.0.1:5002"
        let gzipWriter = TraceSegmentWriter(
            directory: folder.path, role: .peer, node: gzipNode, configuration: .init(segmentBytes: 16 * 1024))
        for seq in 1...1000 { gzipWriter.record(SampleEvents.realistic(seq: UInt64(seq), node: gzipNode)) }
        gzipWriter.finish()
        let writer = jsonlWriter(folder, segmentBytes: 64 * 1024)
        for seq in 1...1000 { writer.record(SampleEvents.realistic(seq: UInt64(seq), node: "127.0.0.1:5001")) }
        writer.flush()
        // As if the writer stopped between renaming an archive into place and removing its plain file.
        let archive = try #require(writer.segmentPaths().first { $0.hasSuffix(".jsonl.gz") })
        let plain = String(archive.dropLast(3))
        let unpacked = try await ProcessRunner.shell(
            "zcat \(ProcessRunner.quote(archive)) > \(ProcessRunner.quote(plain))")
        #expect(unpacked.status == 0)

        let report = try TraceReader.read(paths: [folder.path])
        #expect(report.isComplete, "\(report.warnings)")
        #expect(!report.files.contains(plain))
        let byNode = Dictionary(grouping: report.events, by: \.node)
        #expect(byNode[gzipNode]?.map(\.seq) == Array(1...1000))
        #expect(byNode["127.0.0.1:5001"]?.map(\.seq) == Array(1...1000))
        writer.finish()
    }
}
