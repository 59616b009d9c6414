import Foundation
import Testing

/// `p2ptrace import` and `p2ptrace capture` on real traffic: course runs on loopback captured by real `tcpdump -i lo`
/// (and by `p2ptrace capture`), replayed and compared with the traces of the same run.
@Suite("captures of real loopback runs replay like traces", .enabled(if: getuid() == 0, "capturing on lo needs root"))
struct CaptureEndToEndTests {
    private typealias Replay = ReplayEndToEndTests

    /// What a user compares between two replays of one flood: each visit's node, hop, ttl and duplicate/expired
    /// marks, each answer, each chunk's source, the chunks nobody had, and the summary's counts.
    static func shape(_ flood: [String: Any]) -> [String] {
        let visits = (flood["visits"] as? [[String: Any]] ?? []).map {
            "visit \($0["node"] as? String ?? "") hop \($0["hop"] as? Int ?? -1) ttl \($0["ttl"] as? Int ?? -1) "
                + "duplicate \(!($0["duplicate_of"] is NSNull)) expired \($0["expired"] as? Bool ?? false)"
        }
        let answers = (flood["answers"] as? [[String: Any]] ?? []).map {
            "answer \($0["peer"] as? String ?? "") \($0["chunks"] as? [Int] ?? [])"
        }
        let sources = Replay.served(flood).map { "chunk \($0.key) from \($0.value)" }
        let summary = flood["summary"] as? [String: Any] ?? [:]
        let counts = ["peers_reached", "query_messages", "duplicates", "depth", "expired", "lost"].map {
            "\($0) \(summary[$0] as? Int ?? -1)"
        }
        return (visits + answers + sources).sorted() + counts + ["not found \(flood["not_found"] as? [Int] ?? [])"]
    }

    static func notes(_ flood: [String: Any]) -> [String] { flood["notes"] as? [String] ?? [] }

    /// tcpdump's filter for one course network: this protocol's ports, this network's addresses only (tests running
    /// beside it use other 127.x.y prefixes).
    static func filter(_ network: CourseNetwork) -> String {
        "udp and portrange 5000-5999 and net \(network.prefix).0/24"
    }

    static func importCapture(_ pcap: URL, into folder: URL) async throws -> [String: Any] {
        let imported = try await Replay.p2ptrace(["import", pcap.path, "--trace-dir", folder.path])
        #expect(imported.status == 0, "p2ptrace import failed: \(imported.stderr)")
        #expect(imported.stderr.contains("datagrams of this protocol"), "\(imported.stderr)")
        let replay = try await Replay.p2ptrace(["replay", folder.path, "--format", "json"])
        #expect(replay.status == 0, "\(replay.stderr)")
        return try Replay.json(replay.stdout)
    }

    @Test("the floods replayed from a tcpdump capture of the course equal those from the traces, alone and mixed")
    func captureEqualsTraces() async throws {
        let course = try Replay.TracedCourse()
        let folder = course.network.folder
        let pcap = folder.appendingPathComponent("run.pcap")
        let capture = try await LoopbackCapture(file: pcap, filter: Self.filter(course.network))
        try await course.start()
        try await course.client(contact: 4, chunks: "1,3,4,5,9", output: "c1")
        try await course.client(contact: 1, chunks: "5,6,7", output: "c2")
        await course.network.stop()
        await capture.stop()
        guard course.wroteTraces() else { return }

        let fromCapture = try await Self.importCapture(pcap, into: folder.appendingPathComponent("captured"))
        let tracedRun = try await Replay.p2ptrace(["replay", course.traces.path, "--format", "json"])
        let traced = try Replay.json(tracedRun.stdout)
        for contact in [course.p(4), course.p(1)] {
            let expected = try #require(Replay.floods(traced, contact: contact).first)
            let floods = Replay.floods(fromCapture, contact: contact)
            #expect(floods.count == 1)
            let flood = try #require(floods.first)
            #expect(Self.shape(flood) == Self.shape(expected))
            #expect(Self.notes(flood).contains { $0.contains("(inferred)") })
            #expect(!Self.notes(expected).contains { $0.contains("(inferred)") })
        }

        // p3 and the clients traced nothing here: the capture fills them in, and the other peers' own traces win.
        let partial = folder.appendingPathComponent("partial")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        let p3 = "peer-" + course.p(3).replacingOccurrences(of: ":", with: "-") + "-"
        for name in try FileManager.default.contentsOfDirectory(atPath: course.traces.path)
        where !name.hasPrefix(p3) && !name.hasPrefix("client-") {
            try FileManager.default.copyItem(
                at: course.traces.appendingPathComponent(name), to: partial.appendingPathComponent(name))
        }
        let mixedRun = try await Replay.p2ptrace(
            ["replay", partial.path, folder.appendingPathComponent("captured").path, "--format", "json"])
        #expect(mixedRun.status == 0, "\(mixedRun.stderr)")
        let mixed = try Replay.json(mixedRun.stdout)
        let expected = try #require(Replay.floods(traced, contact: course.p(4)).first)
        let floods = Replay.floods(mixed, contact: course.p(4))
        #expect(floods.count == 1)
        #expect(Self.shape(try #require(floods.first)) == Self.shape(expected))
        #expect(Replay.floods(mixed, contact: course.p(1)).count == 1)
    }

    @Test("a flood through a second, untraced implementation (Python) replays from a capture alone, live or imported")
    func minimalPeerFromCaptureAlone() async throws {
        let network = try CourseNetwork()
        let pcap = network.folder.appendingPathComponent("minimal.pcap")
        let live = network.folder.appendingPathComponent("live")
        let tcpdump = try await LoopbackCapture(file: pcap, filter: Self.filter(network))
        let capture = try NodeProcess(
            "p2ptrace",
            [
                "capture", "-i", "lo", "--trace-dir", live.path, "--ports", "5001-5005", "--filter",
                "net \(network.prefix).0/24",
            ])
        for _ in 0..<400 where !capture.standardError.contains("capturing on lo") {
            try await Task.sleep(for: .milliseconds(25))
        }
        let script = CourseNetwork.packageRoot.appendingPathComponent("Tests/MinimalPeer/minimal_peer.py").path
        try await network.start(program: ["/usr/bin/python3", script])
        let client = try await network.runClient(
            contact: 4, chunks: "1,3,4,5,9", outputDir: "c1", extra: ["--timeout", "1"])
        #expect(client.status == 0, "\(client.stderr)")
        await network.stop()
        await tcpdump.stop()
        capture.signal(SIGINT)
        #expect(await capture.wait(seconds: 10) == 0, "p2ptrace capture: \(capture.standardError)")
        #expect(capture.standardError.contains("nodes written to"), "\(capture.standardError)")

        let (p1, p2, p3, p4, p5) = (
            network.address(1), network.address(2), network.address(3), network.address(4),
            network.address(5)
        )
        let imported = try await Self.importCapture(pcap, into: network.folder.appendingPathComponent("captured"))
        let liveRun = try await Replay.p2ptrace(["replay", live.path, "--format", "json"])
        #expect(liveRun.status == 0, "\(liveRun.stderr)")
        for document in [imported, try Replay.json(liveRun.stdout)] {
            let floods = Replay.floods(document, contact: p4)
            #expect(floods.count == 1)
            let flood = try #require(floods.first)
            #expect(Replay.hops(flood) == [p4: [0], p5: [1], p2: [2], p3: [2], p1: [3, 3]])
            #expect(Replay.served(flood) == [9: p5, 1: p2, 3: p3, 5: p1])
            #expect(flood["not_found"] as? [Int] == [4])
            let summary = flood["summary"] as? [String: Any] ?? [:]
            #expect(summary["duplicates"] as? Int == 1)
            #expect(summary["expired"] as? Int == 2)
            #expect(Self.notes(flood).contains { $0.contains("(inferred)") })
        }
        let cat = try await Replay.p2ptrace(["cat", network.folder.appendingPathComponent("captured").path])
        let starts = cat.stdout.split(separator: "\n").filter { $0.contains("\"ev\":\"start\"") }
        #expect(starts.allSatisfy { $0.contains("\"software\":\"capture: ") })
        for peer in [p1, p2, p3, p4, p5] {
            #expect(starts.filter { $0.contains("\"node\":\"\(peer)\",\"role\":\"peer\"") }.count == 1)
        }
    }
}
