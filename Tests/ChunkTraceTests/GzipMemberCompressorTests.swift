import Foundation
import TestSupport
import Testing

@testable import ChunkTrace

struct GzipMemberCompressorTests {
    private func lines(_ seqs: ClosedRange<Int>) -> [UInt8] {
        Array(seqs.map { TraceLineEncoder.line(SampleEvents.realistic(seq: UInt64($0))) + "\n" }.joined().utf8)
    }

    @Test(
        "both compressors write the same segment structure: start member, one member per batch, end member",
        arguments: TraceCompressor.built)
    func sameStructure(compressor: TraceCompressor) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = TraceSegmentWriter(
            directory: folder.path, role: .peer, node: "127.0.0.1:5001", configuration: .init(compressor: compressor))
        for round in 0..<3 {
            for seq in 1...100 { writer.record(SampleEvents.realistic(seq: UInt64(round * 100 + seq))) }
            writer.flush()
        }
        writer.finish()
        let file = try #require(writer.segmentPaths().first)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(Array(bytes.prefix(GzipSegmentMarker.segmentStart.count)) == GzipSegmentMarker.segmentStart)
        #expect(Array(bytes.suffix(GzipSegmentMarker.segmentEnd.count)) == GzipSegmentMarker.segmentEnd)
        #expect(try await ProcessRunner.shell("gzip -t \(ProcessRunner.quote(file))").status == 0)
        let zcat = try await ProcessRunner.shell("zcat \(ProcessRunner.quote(file)) | jq -c .seq")
        #expect(zcat.status == 0, "\(zcat.stderr)")
        #expect(zcat.lines == (1...300).map(String.init))
        let report = try TraceReader.read(paths: [file])
        #expect(report.events.map(\.seq) == Array(1...300))
        #expect(report.isComplete, "\(report.warnings)")
    }

    @Test("each zlib member is a whole gzip file on its own that gzip -d decodes to the batch", arguments: [1, 2, 9])
    func zlibMemberAlone(level: Int) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let deflater = try ZlibMemberDeflater(level: level)
        let batches = [lines(1...50), lines(51...51), lines(52...400)]
        for (index, batch) in batches.enumerated() {
            var output: [UInt8] = []
            try deflater.compressMember(batch[...], into: &output)
            #expect(Array(output.prefix(3)) == [0x1F, 0x8B, 8])
            let path = folder.file("member\(index).gz")
            try Data(output).write(to: URL(fileURLWithPath: path))
            let decoded = try await ProcessRunner.shell("gzip -dc \(ProcessRunner.quote(path))")
            #expect(decoded.status == 0, "\(decoded.stderr)")
            #expect(Array(decoded.stdout.utf8) == batch)
        }
    }

    @Test("an empty batch still makes a valid (empty) zlib member")
    func zlibEmptyMember() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var output: [UInt8] = []
        try ZlibMemberDeflater(level: 2).compressMember([UInt8]()[...], into: &output)
        let path = folder.file("empty.gz")
        try Data(output).write(to: URL(fileURLWithPath: path))
        let decoded = try await ProcessRunner.shell("gzip -dc \(ProcessRunner.quote(path)) | wc -c")
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(decoded.lines.first?.trimmingCharacters(in: .whitespaces) == "0")
    }

    @Test("levels outside a compressor's range are clamped, not rejected", arguments: TraceCompressor.built)
    func levelsClamped(compressor: TraceCompressor) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = TraceSegmentWriter(
            directory: folder.path, role: .peer, node: "127.0.0.1:5001",
            configuration: .init(compressor: compressor, compressionLevel: 42))
        for seq in 1...20 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.finish()
        #expect(writer.statistics.writeErrors == 0)
        #expect(try TraceReader.read(paths: [folder.path]).events.map(\.seq) == Array(1...20))
    }

    @Test("igzip only in builds with ISA-L: elsewhere zlib is the default and igzip a typed error naming the fix")
    func igzipNeedsISAL() throws {
        let configuration = TraceSegmentWriter.Configuration()
        #expect(configuration.compressor == TraceCompressor.preferred)
        #expect(configuration.compressionLevel == TraceCompressor.preferred.defaultLevel)
        if TraceCompressor.built.contains(.igzip) {
            #expect(TraceCompressor.preferred == .igzip)
            try TraceCompressor.igzip.checkBuilt()
        } else {
            #expect(TraceCompressor.preferred == .zlib)
            #expect(throws: TraceError.compressorNotBuilt("igzip")) { try TraceCompressor.igzip.checkBuilt() }
            #expect(TraceError.compressorNotBuilt("igzip").description.contains("--trace-compressor zlib"))
        }
    }
}
