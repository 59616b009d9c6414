import Foundation
import TestSupport
import Testing

@testable import ChunkMetrics

@Suite("The --metrics-file output")
struct MetricsTextFileTests {
    @Test("every sample gets the node label first, process_* families are left out, promtool accepts it")
    func contents() async throws {
        let text = MetricsTextFile.textfileContents(NodeMetricsTests.busyPeer().render(), node: "10.0.0.4:5004")
        let parsed = try ParsedExposition(text)
        #expect(!parsed.families.isEmpty)
        #expect(parsed.families.allSatisfy { !$0.name.hasPrefix("process_") })
        #expect(parsed.samples.allSatisfy { $0.labels.first?.0 == "node" && $0.labels.first?.1 == "10.0.0.4:5004" })
        #expect(parsed.value("p2p_chunks_held", ["node": "10.0.0.4:5004"]) == 4)
        #expect(parsed.value("p2p_messages_sent_total", ["node": "10.0.0.4:5004", "type": "query"]) == 2)
        let neighbor = parsed.samples.first { $0.name == "p2p_neighbor_datagrams_sent_total" }
        #expect(
            neighbor?.labels.map(\.0) == ["node", "neighbor", "type"], "a family with its own node label keeps one")
        let check = try await ProcessRunner.run("/usr/bin/promtool", ["check", "metrics"], input: text)
        #expect(check.status == 0, "promtool: \(check.stderr)")
    }

    @Test("writing replaces the file whole and leaves no temporary file behind")
    func atomicWrite() throws {
        let folder = try TemporaryFolder(prefix: "metrics-file")
        defer { folder.remove() }
        let path = folder.file("peer.prom")
        try MetricsTextFile.write(Array("old contents that are longer than the new ones\n".utf8), to: path)
        try MetricsTextFile.write(Array("new\n".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["peer.prom"])
    }

    @Test("a folder that does not exist gives an error naming the file")
    func unwritable() {
        let error = #expect(throws: MetricsTextFile.WriteError.self) {
            try MetricsTextFile.write([1], to: "/nonexistent-folder/peer.prom")
        }
        #expect(error?.description.contains("/nonexistent-folder/peer.prom") == true)
    }
}
