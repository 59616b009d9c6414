import CZlib
import Foundation
import TestSupport
import Testing

@testable import ChunkTrace

struct TraceReaderTests {
    private func gzip(_ text: String, to path: String) throws {
        let deflater = try GzipDeflater(level: 6)
        var output: [UInt8] = []
        deflater.compress(Array(text.utf8)[...], flush: Z_FINISH, into: &output)
        try Data(output).write(to: URL(fileURLWithPath: path))
    }

    private func lines(_ seqs: ClosedRange<Int>) -> String {
        seqs.map { TraceLineEncoder.line(SampleEvents.realistic(seq: UInt64($0))) + "\n" }.joined()
    }

    @Test("a damaged line is skipped with a warning naming file and line; the rest is read")
    func damagedLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.file("peer-127.0.0.1-5001-x-000001.jsonl.gz")
        try gzip(lines(1...2) + "{\"v\":1,\"ts\":\"garbage\n" + lines(3...4) + "not json at all\n", to: file)
        let report = try TraceReader.read(paths: [file])
        #expect(report.events.map(\.seq) == [1, 2, 3, 4])
        #expect(report.damagedLines == 2)
        #expect(report.warnings.count == 2)
        #expect(report.warnings.first?.hasPrefix("\(file):3: ") == true)
        #expect(report.warnings.last?.hasPrefix("\(file):6: ") == true)
        #expect(report.truncatedFiles.isEmpty)
        #expect(report.summary.contains("2 damaged lines"))
    }

    @Test("folders are searched recursively for .jsonl.gz and .jsonl files; other files are ignored")
    func folders() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.file("a/b"), withIntermediateDirectories: true)
        try gzip(lines(1...3), to: folder.file("a/b/one.jsonl.gz"))
        try lines(4...5).write(toFile: folder.file("a/two.jsonl"), atomically: true, encoding: .utf8)
        try "ignored".write(toFile: folder.file("a/readme.txt"), atomically: true, encoding: .utf8)
        let report = try TraceReader.read(paths: [folder.path])
        #expect(report.files == [folder.file("a/b/one.jsonl.gz"), folder.file("a/two.jsonl")])
        #expect(report.events.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(report.isComplete)
    }

    @Test("a plain file's last line without a newline is read")
    func plainWithoutFinalNewline() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.file("t.jsonl")
        try String(lines(1...2).dropLast()).write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try TraceReader.read(paths: [file]).events.map(\.seq) == [1, 2])
    }

    @Test("concatenated gzip members (cat a.gz b.gz) are all read")
    func multipleMembers() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try gzip(lines(1...2), to: folder.file("a.gz"))
        try gzip(lines(3...4), to: folder.file("b.gz"))
        let both =
            try Data(contentsOf: URL(fileURLWithPath: folder.file("a.gz")))
            + Data(contentsOf: URL(fileURLWithPath: folder.file("b.gz")))
        try both.write(to: URL(fileURLWithPath: folder.file("ab.jsonl.gz")))
        let report = try TraceReader.read(paths: [folder.file("ab.jsonl.gz")])
        #expect(report.events.map(\.seq) == [1, 2, 3, 4])
        #expect(report.isComplete)
    }

    @Test("segments of the earlier zlib writer (one stream, sync flushes) still read, whole or cut off")
    func singleStreamSegments() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let deflater = try GzipDeflater(level: 2)
        var output: [UInt8] = []
        deflater.compress(Array(lines(1...50).utf8)[...], flush: Z_SYNC_FLUSH, into: &output)
        let flushed = output.count
        deflater.compress(Array(lines(51...100).utf8)[...], flush: Z_FINISH, into: &output)
        let whole = folder.file("whole.jsonl.gz")
        let cut = folder.file("cut.jsonl.gz")
        try Data(output).write(to: URL(fileURLWithPath: whole))
        try Data(output.prefix(flushed)).write(to: URL(fileURLWithPath: cut))

        let complete = try TraceReader.read(paths: [whole])
        #expect(complete.events.map(\.seq) == Array(1...100))
        #expect(complete.isComplete)
        let partial = try TraceReader.read(paths: [cut])
        #expect(partial.events.map(\.seq) == Array(1...50))
        #expect(partial.truncatedFiles == [cut])
        #expect(partial.warnings.contains { $0.contains("cut off") })
    }

    @Test("unreadable and empty segments are accounted for, and reading goes on")
    func unreadableAndEmpty() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try "this is not gzip".write(toFile: folder.file("a.jsonl.gz"), atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: folder.file("b.jsonl.gz"), contents: Data())
        try gzip(lines(1...2), to: folder.file("c.jsonl.gz"))
        let report = try TraceReader.read(paths: [folder.path])
        #expect(report.unreadableFiles == [folder.file("a.jsonl.gz")])
        #expect(report.truncatedFiles == [folder.file("b.jsonl.gz")])
        #expect(report.events.map(\.seq) == [1, 2])
        #expect(report.warnings.count == 2)
        #expect(!report.isComplete)
    }

    @Test("damaged compressed data keeps what came before and names the file")
    func corruptedStream() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.file("x.jsonl.gz")
        let writer = TraceSegmentWriter(directory: folder.path, role: .peer, node: "127.0.0.1:5001")
        for seq in 1...300 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.flush()
        for seq in 301...600 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.finish()
        let segment = try #require(writer.segmentPaths().first)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        let flushed = bytes.count / 2
        for index in flushed..<min(flushed + 64, bytes.count) { bytes[index] ^= 0x5A }
        try bytes.write(to: URL(fileURLWithPath: file))
        let report = try TraceReader.read(paths: [file])
        #expect(report.truncatedFiles == [file] || report.damagedLines > 0)
        #expect(report.events.count >= 100)
        #expect(report.warnings.allSatisfy { $0.hasPrefix(file) })
    }

    @Test("a path that does not exist is an error")
    func missingPath() {
        #expect(throws: TraceError.notFound(path: "/nonexistent/traces")) {
            try TraceReader.read(paths: ["/nonexistent/traces"])
        }
    }

    @Test("forEachEvent streams every event and keeps none")
    func streaming() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = TraceSegmentWriter(
            directory: folder.path, role: .peer, node: "127.0.0.1:5001",
            configuration: .init(segmentBytes: 16 * 1024, keepSegments: 1000))
        for seq in 1...20000 { writer.record(SampleEvents.realistic(seq: UInt64(seq))) }
        writer.finish()
        var next: UInt64 = 1
        var inOrder = true
        let report = try TraceReader.forEachEvent(in: [folder.path]) { event in
            if event.seq != next { inOrder = false }
            next += 1
        }
        #expect(inOrder)
        #expect(next == 20001)
        #expect(report.eventCount == 20000)
        #expect(report.events.isEmpty)
        #expect(report.files.count > 1)
    }
}
