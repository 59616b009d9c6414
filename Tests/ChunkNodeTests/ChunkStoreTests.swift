import ChunkNode
import Foundation
import Testing

struct ChunkStoreTests {
    @Test("the course chunks load whole; unreadable and oversized files are warned about and the rest served")
    func loadsAndWarns() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let course = "\(KeyValuesFileTests.courseFolder)/../Chunks/BigBuckBunny_1.m4s"
        try FileManager.default.copyItem(atPath: course, toPath: "\(folder)/one.m4s")
        try Data(count: 2000).write(to: URL(fileURLWithPath: "\(folder)/big.m4s"))
        try Data(count: 70_000).write(to: URL(fileURLWithPath: "\(folder)/huge.m4s"))
        let text = "1: one.m4s\n2: missing.m4s\n3: big.m4s\n4: huge.m4s"
        try text.write(toFile: "\(folder)/kv", atomically: true, encoding: .utf8)

        let (store, warnings) = ChunkStore.load(try KeyValuesFile(contentsOf: "\(folder)/kv"))
        #expect(store.chunkIDs == [1, 3])
        #expect(store[1].map { Array($0.readableBytesView) } == Array(try Data(contentsOf: URL(fileURLWithPath: course))))
        #expect(warnings.count == 3)
        #expect(warnings.contains { $0.contains("kv:2: cannot read") && $0.contains("looked in \(folder)") })
        #expect(warnings.contains { $0.contains("kv:3") && $0.contains("2000 bytes") })
        #expect(warnings.contains { $0.contains("kv:4") && $0.contains("not serving") })
    }

    @Test("a chunk missing from --chunks-dir is warned about naming that folder; the others are served from it")
    func chunksDirectoryWarning() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: "\(folder)/chunks", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("one".utf8).write(to: URL(fileURLWithPath: "\(folder)/chunks/one.bin"))
        let file = try KeyValuesFile(
            parsing: "1: one.bin\n2: two.bin\n", path: "\(folder)/kv", chunksDirectory: "\(folder)/chunks")
        let (store, warnings) = ChunkStore.load(file)
        #expect(store.chunkIDs == [1])
        #expect(
            warnings == [
                "\(folder)/kv:2: cannot read chunk 2 file \(folder)/chunks/two.bin (looked in --chunks-dir "
                    + "\(folder)/chunks); not serving it"
            ])
    }
}
