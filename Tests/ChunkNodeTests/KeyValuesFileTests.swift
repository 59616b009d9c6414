import ChunkNode
import Foundation
import Testing

struct KeyValuesFileTests {
    static let courseFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/fixtures/course/Key-values-files").standardized.path

    @Test("the course's key-values files parse, trailing blanks and missing final newline included")
    func courseFiles() throws {
        let expected: [Int: [ChunkID]] = [1: [5, 6, 7, 8], 2: [1, 2], 3: [3, 6, 7, 8], 4: [6, 7, 8], 5: [9, 10]]
        for (peer, chunks) in expected {
            let file = try KeyValuesFile(contentsOf: "\(Self.courseFolder)/key-values-files_peer\(peer)")
            #expect(file.entries.map(\.chunk) == chunks)
            #expect(file.entries.allSatisfy { $0.fileName == "BigBuckBunny_\($0.chunk).m4s" })
        }
    }

    @Test("CRLF, blank lines and surrounding blanks are tolerated; names resolve against the file's folder")
    func toleratedLayout() throws {
        let file = try KeyValuesFile(parsing: "\r\n 1: a.m4s \r\n\n\t2 :b c.m4s\r\n", path: "/data/kv")
        #expect(file.entries.map(\.chunk) == [1, 2])
        #expect(file.entries.map(\.path) == ["/data/a.m4s", "/data/b c.m4s"])
        #expect(file.entries.map(\.line) == [2, 4])
    }

    @Test("with a chunks folder, relative names resolve there and absolute names stay as written")
    func chunksDirectory() throws {
        let file = try KeyValuesFile(
            parsing: "1: a.m4s\n2: /abs/b.m4s\n", path: "/data/kv", chunksDirectory: "/chunks/")
        #expect(file.entries.map(\.path) == ["/chunks/a.m4s", "/abs/b.m4s"])
        #expect(file.chunkFolder == "/chunks/" && file.chunkFolderIsExplicit)
        #expect(try KeyValuesFile(parsing: "1: a\n", path: "/data/kv").chunkFolder == "/data")
    }

    @Test(
        "malformed lines are rejected naming file and line",
        arguments: [
            ("1: a\nnonsense\n", 2, "expected"), ("x: a\n", 1, "not a chunk id"), ("70000: a\n", 1, "not a chunk id"),
            ("1:\n", 1, "no file name"), ("1: a\n1: b\n", 2, "already named on line 1"),
        ])
    func malformed(text: String, line: Int, problem: String) {
        #expect {
            try KeyValuesFile(parsing: text, path: "/data/kv")
        } throws: { error in
            "\(error)".hasPrefix("/data/kv:\(line): ") && "\(error)".contains(problem)
        }
    }

    @Test("a missing key-values file is reported with its path")
    func missingFile() {
        #expect {
            try KeyValuesFile(contentsOf: "/nonexistent/kv")
        } throws: { error in
            "\(error)".contains("/nonexistent/kv")
        }
    }
}
