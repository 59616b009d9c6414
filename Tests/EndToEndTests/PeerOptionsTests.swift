import ChunkProtocol
import Foundation
import TestSupport
import Testing

/// `peer --query-ttl` and `peer --chunks-dir` on real processes over loopback UDP.
@Suite("peer options")
struct PeerOptionsTests {
    @Test("--query-ttl sets the ttl of the queries a peer floods for a HELLO", arguments: [UInt16(1), 3, 7])
    func queryTTL(ttl: UInt16) async throws {
        let network = try CourseNetwork()
        let bound = try NodeAddress(parsing: network.address(9))
        let neighbour = try UDPProbe(ip: bound.ip, port: bound.port)
        let kv = network.folder.appendingPathComponent("data/key-values-files_peer2").path
        let peer = try NodeProcess("peer", [network.address(2), kv, network.address(9), "--query-ttl", "\(ttl)"])
        defer { peer.signal(SIGTERM) }
        try await network.waitUntilServing(2)
        let hello: [UInt8] = [0, 1, 0, 1, 0, 9]
        _ = try await UDPProbe.exchange(hello, with: network.address(2), timeout: 0.05)
        let query = try #require(await neighbour.receive(timeout: 5), "no QUERY reached the neighbour")
        #expect(query.count == 14 && query[0...1] == [0, 2])
        #expect(UInt16(query[8]) << 8 | UInt16(query[9]) == ttl)
    }

    @Test("--query-ttl 0 and a --chunks-dir that is not a folder are refused with a clear message")
    func badOptions() async throws {
        let zero = try await NodeProcess.run("peer", ["127.0.0.1:0", "kv", "--query-ttl", "0"])
        #expect(zero.status != 0 && zero.stderr.contains("--query-ttl must be at least 1"), "\(zero.stderr)")
        let folder = try await NodeProcess.run("peer", ["127.0.0.1:0", "kv", "--chunks-dir", "/nonexistent/chunks"])
        #expect(folder.status != 0 && folder.stderr.contains("--chunks-dir /nonexistent/chunks is not a folder"))
    }

    @Test("--chunks-dir serves chunks to a key-values file kept elsewhere; without it the warning says where it looked")
    func chunksDirectory() async throws {
        let network = try CourseNetwork()
        let alone = network.folder.appendingPathComponent("alone")
        try FileManager.default.createDirectory(at: alone, withIntermediateDirectories: true)
        let kv = alone.appendingPathComponent("key-values-files_peer2")
        try FileManager.default.copyItem(
            at: CourseNetwork.courseData.appendingPathComponent("Key-values-files/key-values-files_peer2"), to: kv)

        let chunks = CourseNetwork.courseData.appendingPathComponent("Chunks").path
        let served = try NodeProcess("peer", [network.address(2), kv.path, "--chunks-dir", chunks])
        try await network.waitUntilServing(2)
        #expect(try await UDPProbe.get(chunk: 1, from: network.address(2))?.count == 6 + 1024)
        served.signal(SIGTERM)
        #expect(await served.wait(seconds: 10) == 0)
        #expect(served.standardOutput.contains("serving 2 chunks"))

        let blind = try NodeProcess("peer", [network.address(3), kv.path])
        for _ in 0..<200 {
            if blind.standardOutput.contains("serving") { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        blind.signal(SIGTERM)
        _ = await blind.wait(seconds: 10)
        #expect(blind.standardOutput.contains("serving 0 chunks"))
        #expect(blind.standardError.contains("chunk 1 file \(alone.path)/BigBuckBunny_1.m4s: cannot read it"))
        #expect(blind.standardError.contains("looked in \(alone.path), the key-values file's folder; --chunks-dir"))
    }
}
