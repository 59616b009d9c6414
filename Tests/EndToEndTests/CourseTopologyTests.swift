import Foundation
import TestSupport
import Testing

/// The course topology with real `peer` and `client` processes on loopback, as a user runs it.
@Suite("course topology, real processes")
struct CourseTopologyTests {
    @Test("both example clients log the course's outcome and save byte-identical chunks")
    func exampleClients() async throws {
        let network = try CourseNetwork()
        try await network.start()

        let first = try await network.runClient(
            contact: 4, chunks: "1,3,4,5,9", outputDir: "c1", extra: ["--timeout", "1"])
        #expect(first.status == 0, "\(first.stderr)")
        let log1 = try String(
            contentsOf: network.folder.appendingPathComponent("c1/output-127.0.0.1.log"), encoding: .utf8)
        let lines1 = log1.split(separator: "\n").map(String.init)
        #expect(
            Set(lines1.prefix(4))
                == Set([
                    "\(network.address(5)) - 9", "\(network.address(2)) - 1", "\(network.address(3)) - 3",
                    "\(network.address(1)) - 5",
                ]))
        #expect(lines1.last == "0.0.0.0:0 - 4")
        #expect(lines1.count == 5)

        let second = try await network.runClient(contact: 1, chunks: "5,6,7", outputDir: "c2")
        #expect(second.status == 0, "\(second.stderr)")
        let log2 = try String(
            contentsOf: network.folder.appendingPathComponent("c2/output-127.0.0.1.log"), encoding: .utf8)
        #expect(
            Set(log2.split(separator: "\n").map(String.init)) == Set([5, 6, 7].map { "\(network.address(1)) - \($0)" }))

        for (dir, ids) in [("c1", [1, 3, 5, 9]), ("c2", [5, 6, 7])] {
            for id in ids {
                let saved = try Data(contentsOf: network.folder.appendingPathComponent("\(dir)/chunk\(id).m4s"))
                #expect(saved == (try CourseNetwork.chunk(id)), "\(dir)/chunk\(id).m4s")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: network.folder.appendingPathComponent("c1/chunk4.m4s").path))
        await network.stop()
    }

    @Test("bad command lines get a clear error and a non-zero exit")
    func badCommandLines() async throws {
        let badPeer = try await NodeProcess.run("peer", ["127.0.0.1:99999", "kv"])
        #expect(badPeer.status != 0)
        #expect(badPeer.stderr.contains("port number"))
        let missingFile = try await NodeProcess.run("peer", ["127.0.0.1:0", "/nonexistent/kv"])
        #expect(missingFile.status != 0)
        #expect(missingFile.stderr.contains("/nonexistent/kv"))
        let badList = try await NodeProcess.run("client", ["127.0.0.1:5001", "1,x"])
        #expect(badList.status != 0)
        #expect(badList.stderr.contains("'x' is not a chunk id"))
    }

    @Test("a second peer on a port in use is refused with a clear message; the first keeps serving")
    func portInUse() async throws {
        let network = try CourseNetwork()
        try network.startPeer(2)
        try await network.waitUntilServing(2)
        let second = try await NodeProcess.run(
            "peer", [network.address(2), network.folder.appendingPathComponent("data/key-values-files_peer2").path])
        #expect(second.status != 0)
        #expect(second.stderr.contains("already in use"))
        #expect(try await UDPProbe.get(chunk: 1, from: network.address(2))?.count == 6 + 1024)
        await network.stop()
    }

    @Test("SIGTERM ends a peer cleanly with exit status 0")
    func sigtermEndsPeer() async throws {
        let network = try CourseNetwork()
        try network.startPeer(5)
        try await network.waitUntilServing(5)
        network.peers[5]?.signal(SIGTERM)
        #expect(await network.peers[5]?.wait(seconds: 10) == 0)
    }

    @Test(
        "a neighbour on no route fails only its own datagrams: the peer keeps serving (in a private network namespace)",
        .enabled(if: getuid() == 0, "needs root for unshare -n"))
    func unroutableNeighbour() async throws {
        let network = try CourseNetwork()
        let bin = NodeProcess.binDirectory.path
        let kv = network.folder.appendingPathComponent("data/key-values-files_peer1").path
        // Inside the namespace only loopback exists, so sending to 10.255.0.1 fails with ENETUNREACH.
        let script = """
            ip link set lo up
            \(bin)/peer 127.0.0.1:5001 \(kv) 10.255.0.1:5002 --metrics 127.0.0.1:9101 2>peer.err &
            for i in $(seq 100); do grep -q serving peer.out 2>/dev/null && break; sleep 0.05; done
            \(bin)/client 127.0.0.1:5001 5,6 --output-dir first --timeout 2 || exit 11
            \(bin)/client 127.0.0.1:5001 7 --output-dir second --timeout 2 || exit 12
            exec 3<>/dev/tcp/127.0.0.1/9101
            printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3
            grep '^p2p_send_errors_total{type="query"}' <&3
            kill %1
            """
        let result = try await NodeProcess.run(
            "/usr/bin/unshare",
            ["-n", "bash", "-c", script.replacingOccurrences(of: "2>peer.err &", with: ">peer.out 2>peer.err &")],
            in: network.folder)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("p2p_send_errors_total{type=\"query\"} 2"), "\(result.stdout)")
        let first = try String(
            contentsOf: network.folder.appendingPathComponent("first/output-127.0.0.1.log"), encoding: .utf8)
        #expect(first == "127.0.0.1:5001 - 5\n127.0.0.1:5001 - 6\n")
        let second = try String(
            contentsOf: network.folder.appendingPathComponent("second/output-127.0.0.1.log"), encoding: .utf8)
        #expect(second == "127.0.0.1:5001 - 7\n")
    }
}
