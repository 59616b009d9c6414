import ChunkTrace
import Foundation
import TestSupport
import Testing

/// Traces written by real `peer` and `client` processes, read back with `TraceReader` and with real `zcat` and `jq`.
@Suite("traces of real peer and client processes")
struct TraceEndToEndTests {
    /// The fields that tie a send to the receive it caused at the other end.
    private struct Crossing: Hashable {
        var from: String
        var to: String
        var message: TraceMessageType?
        var client: String?
        var ttl: Int?
        var chunks: [UInt16]?
    }

    @Test("course topology: every send has its receive, causes point to receives, and zcat | jq reads the same lines")
    func courseTopology() async throws {
        let network = try CourseNetwork()
        let traces = network.folder.appendingPathComponent("traces").path
        try await network.start { _ in ["--trace-dir", traces] }
        let run = try await network.runClient(
            contact: 4, chunks: "1,3,4,5,9", outputDir: "c1", extra: ["--timeout", "1", "--trace-dir", traces])
        #expect(run.status == 0, "\(run.stderr)")
        await network.stop()

        let report = try TraceReader.read(paths: [traces])
        #expect(report.isComplete, "\(report.warnings)")
        #expect(report.warnings.isEmpty)
        let nodes = Set(report.events.map(\.node))
        #expect(nodes.count == 6, "\(nodes)")
        #expect(report.files.count == 6)

        // Real tools read the same lines, byte for byte, in the same order.
        let quoted = report.files.map { "'\($0)'" }.joined(separator: " ")
        let jq = try await ProcessRunner.shell("zcat \(quoted) | jq -c .")
        #expect(jq.status == 0)
        let jqLines = jq.stdout.split(separator: "\n").map(String.init)
        #expect(jqLines.count == report.events.count)
        #expect(jqLines == report.events.map(TraceLineEncoder.line))

        Self.expectNumberedEventsWithCauses(report.events)
        Self.expectEverySendReceived(report.events, nodes: nodes)

        // The flood of the course example: 3 hops of queries reach p1 from p4.
        let queries = report.events.filter { $0.kind == .recv && $0.message == .query }
        #expect(queries.contains { $0.node == network.address(1) && $0.ttl == 1 })
        #expect(!queries.contains { $0.ttl == 0 })
    }

    /// Each node numbers its events from 1 without gaps, starts with `start`, ends with `stop` or `done`, and every
    /// `cause` names an earlier receive of the same node and run.
    private static func expectNumberedEventsWithCauses(_ events: [TraceEvent]) {
        let byNode = Dictionary(grouping: events, by: \.node)
        for (node, nodeEvents) in byNode {
            #expect(nodeEvents.map(\.seq) == Array(1...UInt64(nodeEvents.count)), "\(node)")
            #expect(nodeEvents.first?.kind == .start, "\(node)")
            #expect(nodeEvents.last?.kind == .stop || nodeEvents.last?.kind == .done, "\(node)")
        }

        for (node, nodeEvents) in byNode {
            let bySeq = Dictionary(uniqueKeysWithValues: nodeEvents.map { ($0.seq, $0) })
            for event in nodeEvents {
                guard let cause = event.cause else { continue }
                #expect(event.kind == .send, "\(node) seq \(event.seq)")
                #expect(bySeq[cause]?.kind == .recv, "\(node) seq \(event.seq): cause \(cause)")
                #expect(bySeq[cause].map { $0.seq < event.seq } == true)
            }
        }
    }

    /// Every send between traced nodes is received at its destination with the same message, client, ttl and
    /// chunks, and vice versa (the GETs of `waitUntilServing`'s probe sockets come from untraced senders); the
    /// course example's messages, by type.
    private static func expectEverySendReceived(_ events: [TraceEvent], nodes: Set<String>) {
        var sends: [Crossing: Int] = [:]
        var receives: [Crossing: Int] = [:]
        for event in events {
            if event.kind == .send, let to = event.to, nodes.contains(to) {
                let key = Crossing(
                    from: event.node, to: to, message: event.message, client: event.client,
                    ttl: event.ttl, chunks: event.chunks)
                sends[key, default: 0] += 1
            } else if event.kind == .recv, let from = event.from, nodes.contains(from) {
                let key = Crossing(
                    from: from, to: event.node, message: event.message, client: event.client,
                    ttl: event.ttl, chunks: event.chunks)
                receives[key, default: 0] += 1
            }
        }
        let unmatched = Set(sends.keys).union(receives.keys).filter { sends[$0] != receives[$0] }
            .map {
                "\($0.message.map { "\($0)" } ?? "-") \($0.from) -> \($0.to) client \($0.client ?? "-") ttl \($0.ttl ?? -1)"
                    + " chunks \($0.chunks ?? []): sent \(sends[$0] ?? 0), received \(receives[$0] ?? 0)"
            }
        #expect(unmatched.isEmpty, "\(unmatched.sorted().joined(separator: "\n"))")
        // The course example's messages: 1 HELLO; QUERYs p4→p5, p5→p2, p5→p3, p2→p1, p3→p1; CHUNK_INFOs from p5, p2,
        // p3 and twice from p1 (reached by two paths); one GET and one RESPONSE each for chunks 9, 1, 3, 5.
        var perType: [TraceMessageType: Int] = [:]
        for (key, count) in sends { perType[key.message ?? .hello, default: 0] += count }
        #expect(perType == [.hello: 1, .query: 5, .chunkInfo: 5, .get: 4, .response: 4])
    }

    @Test(
        "SIGTERM loses nothing: every answered GET is in the trace and the segment is complete",
        arguments: [[], ["--trace-compressor", "zlib", "--trace-compression-level", "2"]])
    func sigtermLosesNothing(compressorFlags: [String]) async throws {
        let network = try CourseNetwork()
        let traces = network.folder.appendingPathComponent("traces").path
        try network.startPeer(2, extra: ["--trace-dir", traces] + compressorFlags)
        try await network.waitUntilServing(2)
        var answered = 0
        for index in 0..<200 {
            if try await UDPProbe.get(chunk: UInt16(1 + index % 2), from: network.address(2), timeout: 1) != nil {
                answered += 1
            }
        }
        #expect(answered == 200)
        await network.stop()
        #expect(network.peers[2]?.process.terminationStatus == 0)

        let report = try TraceReader.read(paths: [traces])
        #expect(report.isComplete, "\(report.warnings)")
        let gets = report.events.filter { $0.kind == .recv && $0.message == .get }
        let responses = report.events.filter { $0.kind == .send && $0.message == .response }
        // waitUntilServing's probes are GETs too.
        #expect(gets.count >= 200)
        #expect(responses.count == gets.count)
        #expect(report.events.last?.kind == .stop)
        let check = try await ProcessRunner.shell("gzip -t '\(report.files.joined(separator: "' '"))'")
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test("kill -9 under load leaves segments that decode up to shortly before the kill")
    func killDuringLoad() async throws {
        let network = try CourseNetwork()
        let traces = network.folder.appendingPathComponent("traces").path
        // Small segments so the kill lands after rotations; keep them all so every seq from 1 can be checked.
        try network.startPeer(
            2, extra: ["--trace-dir", traces, "--trace-segment-bytes", "65536", "--trace-keep", "100000"])
        try await network.waitUntilServing(2)
        let load = UDPLoad(target: network.address(2))
        load.start()
        defer { load.stop() }

        // Wait until the load shows in the trace, then kill.
        var seen = 0
        for _ in 0..<200 where seen < 5000 {
            try await Task.sleep(for: .milliseconds(50))
            seen = (try? TraceReader.read(paths: [traces]).events.count) ?? 0
        }
        #expect(seen >= 5000)
        try await Task.sleep(for: .milliseconds(300))
        let killedAt = Self.wallClockMicroseconds()
        network.peers[2]?.signal(SIGKILL)
        _ = await network.peers[2]?.wait(seconds: 10)
        load.stop()

        let report = try TraceReader.read(paths: [traces])
        #expect(report.damagedLines == 0)
        #expect(report.unreadableFiles.isEmpty)
        #expect(report.truncatedFiles.count <= 1, "\(report.truncatedFiles)")
        let events = report.events
        // Compared pairwise: a failing == over ~100k-element arrays makes Swift Testing diff them for minutes.
        #expect(events.first?.seq == 1)
        let gap = zip(events, events.dropFirst()).first { $1.seq != $0.seq + 1 }.map { "\($0.0.seq) → \($0.1.seq)" }
        #expect(gap == nil, "seq jumps \(gap ?? "")")
        let last = try #require(events.last)
        let lag = Double(killedAt - last.timestamp) / 1000
        // The writer flushes every 250 ms; the extra margin absorbs scheduling on a busy 2-core machine.
        #expect(lag <= 750, "last traced event \(lag) ms before the kill")
        print(
            "kill -9: \(events.count) events decodable, last one \(lag) ms before the kill, \(report.files.count) segments"
        )
    }

    @Test(
        "rm -rf of a running peer's trace folder under load: said once, counted, and events go on in a new segment",
        arguments: ["gzip", "jsonl"])
    func deletedTraceFolder(format: String) async throws {
        let network = try CourseNetwork()
        let traces = network.folder.appendingPathComponent("traces").path
        let metricsFile = network.folder.appendingPathComponent("p2.prom").path
        try network.startPeer(
            2,
            extra: [
                "--trace-dir", traces, "--trace-format", format, "--metrics-file", metricsFile,
                "--response-rate-limit", "0",
            ])
        try await network.waitUntilServing(2)
        let load = UDPLoad(target: network.address(2))
        load.start()
        defer { load.stop() }
        var before = 0
        for _ in 0..<200 where before < 2000 {
            try await Task.sleep(for: .milliseconds(50))
            before = (try? TraceReader.read(paths: [traces]).events.count) ?? 0
        }
        #expect(before >= 2000)

        let removal = try await ProcessRunner.shell("rm -rf '\(traces)'")
        #expect(removal.status == 0, "\(removal.stderr)")
        var after = 0
        for _ in 0..<200 where after < 2000 {
            try await Task.sleep(for: .milliseconds(50))
            after = (try? TraceReader.read(paths: [traces]).events.count) ?? 0
        }
        #expect(after >= 2000, "events traced after the folder was deleted")
        load.stop()
        await network.stop()

        let report = try TraceReader.read(paths: [traces])
        #expect(report.isComplete, "\(report.warnings)")
        let first = try #require(report.events.first)
        #expect(first.seq > UInt64(before), "the new segment continues the run")
        let gap = zip(report.events, report.events.dropFirst()).first { $1.seq != $0.seq + 1 }
        #expect(gap == nil)
        #expect(report.events.contains { $0.kind == .stop }, "the new segment holds the peer's stop")
        let stderr = network.peers[2]?.standardError ?? ""
        #expect(stderr.components(separatedBy: "deleted or replaced").count - 1 == 1, "\(stderr)")
        let metrics = try String(contentsOfFile: metricsFile, encoding: .utf8)
        let errors = metrics.split(separator: "\n").first { $0.hasPrefix("p2p_trace_write_errors_total") }
        #expect(errors.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } ?? 0 >= 1, "\(metrics)")
    }

    @Test("a peer whose trace folder cannot be used still serves and says why once")
    func unusableTraceFolder() async throws {
        let network = try CourseNetwork()
        let blocker = network.folder.appendingPathComponent("not-a-folder")
        _ = FileManager.default.createFile(atPath: blocker.path, contents: Data("x".utf8))
        try network.startPeer(2, extra: ["--trace-dir", blocker.appendingPathComponent("traces").path])
        try await network.waitUntilServing(2)
        #expect(try await UDPProbe.get(chunk: 1, from: network.address(2))?.count == 6 + 1024)
        await network.stop()
        #expect(network.peers[2]?.process.terminationStatus == 0)
        let stderr = network.peers[2]?.standardError ?? ""
        #expect(stderr.contains("not-a-folder"), "\(stderr)")
        #expect(stderr.components(separatedBy: "not-a-folder").count - 1 == 1, "\(stderr)")
    }

    @Test(
        "bad trace flags are refused with a clear message",
        arguments: [
            ["--trace-segment-bytes", "0"], ["--trace-segment-seconds", "-1"], ["--trace-keep", "0"],
            ["--trace-compressor", "lz4"], ["--trace-compression-level", "10"], ["--trace-format", "xml"],
            ["--trace-compression-level", "0", "--trace-compressor", "zlib"],
        ])
    func badFlags(flags: [String]) async throws {
        let network = try CourseNetwork()
        let run = try await NodeProcess.run(
            "peer",
            [
                network.address(2), network.folder.appendingPathComponent("data/key-values-files_peer2").path,
                "--trace-dir", "traces",
            ] + flags, in: network.folder)
        #expect(run.status != 0)
        #expect(run.stderr.contains(flags[0]), "\(run.stderr)")
    }

    // MARK: - Support

    private static func wallClockMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
    }
}

/// Sends GETs to a peer from one UDP socket, without waiting for answers, at most 16 per millisecond, until stopped
/// (at most two million datagrams: over two minutes, so the load still runs when a test starved for a while by a
/// loaded machine gets to its kill or its `rm -rf`).
private final class UDPLoad: @unchecked Sendable {
    private let target: String
    private let stopped = LockedBox(false)
    private let done = DispatchSemaphore(value: 0)
    private var started = false

    init(target: String) {
        self.target = target
    }

    func start() {
        started = true
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.start()
    }

    func stop() {
        let wasStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        if started && !wasStopped { done.wait() }
    }

    private var shouldStop: Bool { stopped.value }

    private func run() {
        let parts = target.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else { return }
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = port.bigEndian
        inet_pton(AF_INET, String(parts[0]), &remote.sin_addr)
        let get: [UInt8] = [0, 4, 0, 2, 0, 1, 0, 2]
        var sink = [UInt8](repeating: 0, count: 2048)
        for index in 0..<2_000_000 {
            if index % 256 == 0 && shouldStop { return }
            _ = get.withUnsafeBytes { bytes in
                withUnsafePointer(to: &remote) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            // Drain answers so the socket buffer never fills; pace well below what a peer answers, so the other tests
            // running beside this one keep their share of the two cores.
            while recv(fd, &sink, sink.count, Int32(MSG_DONTWAIT)) > 0 {}
            if index % 16 == 0 { usleep(1000) }
        }
    }
}
