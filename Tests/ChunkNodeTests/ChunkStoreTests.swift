import ChunkNode
import Foundation
import TestSupport
import Testing

struct ChunkStoreTests {
    @Test("the course chunks load whole; unreadable and oversized files are warned about and the rest served")
    func loadsAndWarns() throws {
        let temporary = try TemporaryFolder(prefix: "store")
        defer { temporary.remove() }
        let folder = temporary.path
        let course = "\(KeyValuesFileTests.courseFolder)/../Chunks/BigBuckBunny_1.m4s"
        try FileManager.default.copyItem(atPath: course, toPath: "\(folder)/one.m4s")
        try Data(count: 2000).write(to: URL(fileURLWithPath: "\(folder)/big.m4s"))
        try Data(count: 70_000).write(to: URL(fileURLWithPath: "\(folder)/huge.m4s"))
        let text = "1: one.m4s\n2: missing.m4s\n3: big.m4s\n4: huge.m4s"
        try text.write(toFile: "\(folder)/kv", atomically: true, encoding: .utf8)

        let (store, warnings) = ChunkStore.load(try KeyValuesFile(contentsOf: "\(folder)/kv"))
        #expect(store.chunkIDs == [1, 3])
        #expect(
            store[1].map { Array($0.readableBytesView) } == Array(try Data(contentsOf: URL(fileURLWithPath: course))))
        #expect(warnings.count == 3)
        #expect(
            warnings.contains {
                $0.contains("kv:2: chunk 2") && $0.contains("cannot read") && $0.contains("looked in \(folder)")
            })
        #expect(warnings.contains { $0.contains("kv:3") && $0.contains("2000 bytes") })
        #expect(warnings.contains { $0.contains("kv:4") && $0.contains("not serving") })
    }

    @Test("a chunk missing from --chunks-dir is warned about naming that folder; the others are served from it")
    func chunksDirectoryWarning() throws {
        let temporary = try TemporaryFolder(prefix: "store")
        defer { temporary.remove() }
        let folder = temporary.path
        try FileManager.default.createDirectory(atPath: "\(folder)/chunks", withIntermediateDirectories: true)
        try Data("one".utf8).write(to: URL(fileURLWithPath: "\(folder)/chunks/one.bin"))
        let file = try KeyValuesFile(
            parsing: "1: one.bin\n2: two.bin\n", path: "\(folder)/kv", chunksDirectory: "\(folder)/chunks")
        let (store, warnings) = ChunkStore.load(file)
        #expect(store.chunkIDs == [1])
        #expect(
            warnings == [
                "\(folder)/kv:2: chunk 2 file \(folder)/chunks/two.bin: cannot read it (No such file or directory) "
                    + "(looked in --chunks-dir \(folder)/chunks); not serving it"
            ])
    }
}

struct ChunkFileReaderTests {
    @Test("a 1 GiB file, a FIFO with no writer, a device and a folder are refused unread, naming file and line")
    func refusesUnread() throws {
        let temporary = try TemporaryFolder(prefix: "store")
        defer { temporary.remove() }
        let folder = temporary.path
        // Sparse: 1 GiB long without using the disk; reading it would take a second and a gigabyte of memory.
        let huge = FileHandle(forWritingAtPath: try #require(Self.create("\(folder)/huge.m4s")))
        try #require(huge).truncate(atOffset: 1 << 30)
        try #require(huge).close()
        #expect(mkfifo("\(folder)/fifo.m4s", 0o600) == 0)
        try FileManager.default.createDirectory(atPath: "\(folder)/dir.m4s", withIntermediateDirectories: false)
        try Data(count: 65_501).write(to: URL(fileURLWithPath: "\(folder)/largest.m4s"))
        let text = "1: huge.m4s\n2: fifo.m4s\n3: /dev/zero\n4: dir.m4s\n5: largest.m4s\n"
        try text.write(toFile: "\(folder)/kv", atomically: true, encoding: .utf8)

        let (store, warnings) = ChunkStore.load(try KeyValuesFile(contentsOf: "\(folder)/kv"))
        #expect(store.chunkIDs == [5])
        #expect(store[5]?.readableBytes == 65_501)
        #expect(
            warnings.contains {
                $0.hasPrefix("\(folder)/kv:1: chunk 1 file \(folder)/huge.m4s: it has 1073741824 bytes")
            })
        #expect(
            warnings.contains { $0.hasPrefix("\(folder)/kv:2:") && $0.contains("it is a FIFO, not a regular file") })
        #expect(warnings.contains { $0.hasPrefix("\(folder)/kv:3:") && $0.contains("it is a character device") })
        #expect(warnings.contains { $0.hasPrefix("\(folder)/kv:4:") && $0.contains("it is a directory") })
        #expect(warnings.filter { $0.contains("not serving it") }.count == 4)
    }

    private static func create(_ path: String) -> String? {
        FileManager.default.createFile(atPath: path, contents: nil) ? path : nil
    }
}
