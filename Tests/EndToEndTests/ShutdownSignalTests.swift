import ChunkTrace
import Foundation
import TestSupport
import Testing

/// SIGTERM and SIGINT reach the peer and the client through their swift-service-lifecycle `ServiceGroup`.
@Suite("shutdown signals")
struct ShutdownSignalTests {
    @Test(
        "SIGTERM and SIGINT end a peer with status 0, a complete trace ending in stop, and its --metrics-file",
        arguments: [SIGTERM, SIGINT])
    func peerStops(signal: Int32) async throws {
        let network = try CourseNetwork()
        let traces = network.folder.appendingPathComponent("traces").path
        let metrics = network.folder.appendingPathComponent("p2.prom").path
        try network.startPeer(2, extra: ["--trace-dir", traces, "--metrics-file", metrics])
        try await network.waitUntilServing(2)
        let peer = try #require(network.peers[2])
        peer.signal(signal)
        #expect(await peer.wait(seconds: 10) == 0, "\(peer.standardError)")
        #expect(peer.standardOutput.hasPrefix("peer \(network.address(2)): serving 2 chunks to "))
        #expect(peer.standardError.isEmpty, "\(peer.standardError)")
        let report = try TraceReader.read(paths: [traces])
        #expect(report.isComplete, "\(report.summary)")
        #expect(report.events.first?.kind == .start)
        #expect(report.events.last?.kind == .stop)
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(text.contains(#"p2p_messages_received_total{node="\#(network.address(2))",type="get"}"#), "\(text)")
    }

    @Test("--log-level debug shows the service group's own lines; an unknown level is refused naming the levels")
    func logLevel() async throws {
        let network = try CourseNetwork()
        try network.startPeer(2, extra: ["--log-level", "debug"])
        try await network.waitUntilServing(2)
        let peer = try #require(network.peers[2])
        peer.signal(SIGINT)
        #expect(await peer.wait(seconds: 10) == 0)
        #expect(peer.standardError.contains("debug: Signal caught. Shutting down the group. sl-signal=SIGINT"))
        let refused = try await NodeProcess.run("client", ["127.0.0.1:5001", "1", "--log-level", "loud"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--log-level must be one of trace, debug"), "\(refused.stderr)")
    }

    @Test(
        "SIGTERM and SIGINT end a waiting client early with status 0: what arrived is saved and logged, the rest missing",
        arguments: [SIGTERM, SIGINT])
    func clientInterrupted(signal: Int32) async throws {
        let network = try CourseNetwork()
        try await network.start()
        let output = network.folder.appendingPathComponent("out")
        // Nobody holds chunk 4: without a signal the client would wait out its 60 s timeout.
        let client = try NodeProcess(
            "client", [network.address(2), "1,4", "--output-dir", output.path, "--timeout", "60"], in: network.folder)
        let saved = output.appendingPathComponent("chunk1.m4s").path
        for _ in 0..<400 where !FileManager.default.fileExists(atPath: saved) {
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(FileManager.default.fileExists(atPath: saved), "chunk 1 never arrived: \(client.standardError)")
        client.signal(signal)
        #expect(await client.wait(seconds: 10) == 0, "\(client.standardError)")
        await network.stop()
        let summary = client.standardOutput
        #expect(summary.contains(": received 1 of 2 chunks, missing 4; log: "), "\(summary)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: saved)) == CourseNetwork.chunk(1))
        let logs = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasPrefix("output-") }
        let log = try String(contentsOf: output.appendingPathComponent(try #require(logs.first)), encoding: .utf8)
        #expect(log == "\(network.address(2)) - 1\n0.0.0.0:0 - 4\n")
    }
}
