import Foundation
import TestSupport
import Testing

/// `p2ptrace` over traces written by real `peer` and `client` processes on loopback.
@Suite("p2ptrace over traces of real loopback runs")
struct ReplayEndToEndTests {
    /// The course network with every peer tracing into `traces/`, and a way to run traced clients.
    final class TracedCourse: @unchecked Sendable {
        let network: CourseNetwork
        var traces: URL { network.folder.appendingPathComponent("traces") }

        init() throws { network = try CourseNetwork() }

        func start() async throws {
            try await network.start { _ in ["--trace-dir", self.traces.path] }
        }

        /// Runs a traced client; `--timeout 1` so a missing chunk ends the run quickly.
        func client(contact: Int, chunks: String, output: String) async throws {
            let result = try await network.runClient(
                contact: contact, chunks: chunks, outputDir: output,
                extra: ["--trace-dir", traces.path, "--timeout", "1"])
            #expect(result.status == 0, "client failed: \(result.stderr)")
        }

        func p(_ n: Int) -> String { network.address(n) }

        /// Whether the peers wrote any segment; a failure when they did not.
        func wroteTraces() -> Bool {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: traces.path)) ?? []
            guard files.contains(where: { $0.hasSuffix(".jsonl.gz") }) else {
                Issue.record("peer --trace-dir wrote no trace segment in \(traces.path)")
                return false
            }
            return true
        }

        func segments(ofPeer n: Int) throws -> [URL] {
            let prefix = "peer-" + p(n).replacingOccurrences(of: ":", with: "-") + "-"
            return try FileManager.default.contentsOfDirectory(atPath: traces.path).filter { $0.hasPrefix(prefix) }
                .map { traces.appendingPathComponent($0) }
        }
    }

    /// Runs the built `p2ptrace`, reading its output to the end (large outputs arrive whole).
    static func p2ptrace(_ arguments: [String]) async throws -> ProcessOutput {
        try await ProcessRunner.run(
            NodeProcess.binDirectory.appendingPathComponent("p2ptrace").path, arguments, timeoutSeconds: 120)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// node → sorted hops of the flood whose contact is `contact`.
    static func hops(_ flood: [String: Any]) -> [String: [Int]] {
        var hops: [String: [Int]] = [:]
        for visit in flood["visits"] as? [[String: Any]] ?? [] {
            if let node = visit["node"] as? String, let hop = visit["hop"] as? Int {
                hops[node, default: []].append(hop)
            }
        }
        return hops.mapValues { $0.sorted() }
    }

    static func floods(_ document: [String: Any], contact: String) -> [[String: Any]] {
        (document["floods"] as? [[String: Any]] ?? []).filter { $0["contact"] as? String == contact }
    }

    static func served(_ flood: [String: Any]) -> [Int: String] {
        var served: [Int: String] = [:]
        for delivery in flood["deliveries"] as? [[String: Any]] ?? [] {
            if let chunk = delivery["chunk"] as? Int, let peer = delivery["peer"] as? String { served[chunk] = peer }
        }
        return served
    }

    /// Counts distinct colours of a PNG (8-bit RGB or RGBA, non-interlaced) with Python's zlib.
    static func distinctColours(png: URL) async throws -> Int {
        let script = """
            import sys, zlib, struct
            data = open(sys.argv[1], 'rb').read()
            pos, idat, w, h, ct = 8, b'', 0, 0, 0
            while pos < len(data):
                n, kind = struct.unpack('>I4s', data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
                if kind == b'IHDR': w, h, depth, ct = struct.unpack('>IIBB', body[:10])
                if kind == b'IDAT': idat += body
            bpp = 4 if ct == 6 else 3
            raw, stride, prev, colours, i = zlib.decompress(idat), w * bpp, bytearray(w * bpp), set(), 0
            for y in range(h):
                f = raw[i]; row = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
                for x in range(stride):
                    a = row[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
                    if f == 1: row[x] = (row[x] + a) & 255
                    elif f == 2: row[x] = (row[x] + b) & 255
                    elif f == 3: row[x] = (row[x] + (a + b) // 2) & 255
                    elif f == 4:
                        p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                        row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
                if y % 3 == 0: colours.update(bytes(row[k:k + 3]) for k in range(0, stride, bpp * 3))
                prev = row
            print(len(colours))
            """
        let output = try await ProcessRunner.run("/usr/bin/python3", ["-c", script, png.path]).stdout
        return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    @Test("the course run replays to the tree of PROTOCOL.md in text, JSON, DOT (rendered by dot) and HTML (Chromium)")
    func courseRunInEveryFormat() async throws {
        let course = try TracedCourse()
        try await course.start()
        try await course.client(contact: 4, chunks: "1,3,4,5,9", output: "c1")
        try await course.client(contact: 1, chunks: "5,6,7", output: "c2")
        await course.network.stop()
        guard course.wroteTraces() else { return }
        let peers = CoursePeers(course)
        let traces = course.traces.path
        try await Self.expectJSONReplay(of: traces, peers: peers)
        try await Self.expectTextReplay(of: traces, peers: peers)
        try await Self.expectDOTRendering(of: traces, peers: peers, in: course.network.folder)
        try await Self.expectHTMLRendering(of: traces, peers: peers, in: course.network.folder)
        try await Self.expectCheckStatsAndCat(of: traces, peers: peers)
    }

    /// The course's five peers' `ip:port`, as the replay names them.
    struct CoursePeers {
        let p1, p2, p3, p4, p5: String
        var all: [String] { [p1, p2, p3, p4, p5] }

        init(_ course: TracedCourse) {
            (p1, p2, p3, p4, p5) = (course.p(1), course.p(2), course.p(3), course.p(4), course.p(5))
        }
    }

    /// The JSON replay: the flood from p4 is PROTOCOL.md's tree, the one from p1 is served by p1 alone.
    private static func expectJSONReplay(of traces: String, peers: CoursePeers) async throws {
        let (p1, p2, p3, p4, p5) = (peers.p1, peers.p2, peers.p3, peers.p4, peers.p5)
        let json = try await p2ptrace(["replay", traces, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let document = try Self.json(json.stdout)
        let first = try #require(floods(document, contact: p4).first)
        #expect(floods(document, contact: p4).count == 1)
        #expect(hops(first) == [p4: [0], p5: [1], p2: [2], p3: [2], p1: [3, 3]])
        let visits = first["visits"] as? [[String: Any]] ?? []
        #expect(visits.filter { !($0["duplicate_of"] is NSNull) }.map { $0["node"] as? String } == [p1])
        #expect(visits.filter { $0["expired"] as? Bool == true }.count == 2)
        #expect(served(first) == [9: p5, 1: p2, 3: p3, 5: p1])
        #expect(first["not_found"] as? [Int] == [4])
        #expect(first["client_traced"] as? Bool == true)
        let answers = (first["answers"] as? [[String: Any]] ?? []).map {
            "\($0["peer"] as? String ?? "") \($0["chunks"] as? [Int] ?? [])"
        }
        #expect(answers.sorted() == ["\(p1) [5]", "\(p1) [5]", "\(p2) [1]", "\(p3) [3]", "\(p5) [9]"].sorted())
        let summary = first["summary"] as? [String: Any] ?? [:]
        #expect(summary["peers_reached"] as? Int == 5)
        #expect(summary["query_messages"] as? Int == 5)
        #expect(summary["duplicates"] as? Int == 1)
        #expect(summary["depth"] as? Int == 3)
        #expect(summary["lost"] as? Int == 0)
        let second = try #require(floods(document, contact: p1).first)
        #expect(served(second) == [5: p1, 6: p1, 7: p1])
    }

    /// The text replay of p4's flood, `--list`, `--flood N` and a `--client` that matches nothing.
    private static func expectTextReplay(of traces: String, peers: CoursePeers) async throws {
        let text = try await p2ptrace(["replay", traces, "--contact", peers.p4])
        #expect(text.status == 0)
        #expect(text.stdout.contains("DUPLICATE (already reached via"))
        #expect(text.stdout.contains("    4  nobody had it"))
        #expect(text.stdout.contains("    9  from \(peers.p5)  arrived +"))
        #expect(text.stdout.contains("summary: peers reached 5 of 5 traced, 5 query messages, 1 duplicate, depth 3"))
        let list = try await p2ptrace(["replay", traces, "--list"])
        #expect(list.stdout.split(separator: "\n").count == 2)
        let picked = try json(try await p2ptrace(["replay", traces, "--flood", "2", "--format", "json"]).stdout)
        #expect((picked["floods"] as? [[String: Any]])?.map { $0["contact"] as? String } == [peers.p1])
        let nothing = try await p2ptrace(["replay", traces, "--client", "10.9.9.9"])
        #expect(nothing.status != 0)
        #expect(nothing.stderr.contains("no flood matches client 10.9.9.9"))
    }

    /// The DOT replay, rendered to SVG by Graphviz's `dot`.
    private static func expectDOTRendering(of traces: String, peers: CoursePeers, in folder: URL) async throws {
        let dotFile = folder.appendingPathComponent("flood.dot").path
        let svgFile = folder.appendingPathComponent("flood.svg").path
        #expect(try await p2ptrace(["replay", traces, "--format", "dot", "--output", dotFile]).status == 0)
        let dot = try await ProcessRunner.run("/usr/bin/dot", ["-Tsvg", dotFile, "-o", svgFile], timeoutSeconds: 120)
        #expect(dot.status == 0)
        let svg = try String(contentsOfFile: svgFile, encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains(peers.p1) && svg.contains("duplicate"))
    }

    /// The HTML replay: self-contained, drawn by headless Chromium with every peer and without script errors.
    private static func expectHTMLRendering(of traces: String, peers: CoursePeers, in folder: URL) async throws {
        let htmlFile = folder.appendingPathComponent("flood.html")
        let png = folder.appendingPathComponent("flood.png")
        #expect(try await p2ptrace(["replay", traces, "--format", "html", "-o", htmlFile.path]).status == 0)
        let html = try String(contentsOf: htmlFile, encoding: .utf8)
        #expect(
            !html.contains("<link") && !html.contains("src=") && !html.contains("https://") && !html.contains("@import")
        )
        let chromium = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(folder.path)/chromium"]
        let shot = try await ProcessRunner.run(
            "/usr/bin/chromium",
            chromium + ["--screenshot=\(png.path)", "--window-size=1200,900", htmlFile.absoluteString],
            timeoutSeconds: 120)
        #expect(shot.status == 0)
        #expect(try await distinctColours(png: png) > 20)
        let dom = try await ProcessRunner.run(
            "/usr/bin/chromium",
            chromium + ["--dump-dom", "--enable-logging=stderr", "--v=0", htmlFile.absoluteString],
            timeoutSeconds: 120)
        #expect(dom.stdout.contains("data-state=\"ready\""), "the page's script did not finish")
        for peer in peers.all { #expect(dom.stdout.contains(">\(peer)</text>"), "\(peer) not drawn") }
        #expect(!dom.stderr.contains("Uncaught"), "JavaScript errors: \(dom.stderr)")
    }

    /// `check` passes, `stats` names every peer, `cat` prints every line in timestamp order.
    private static func expectCheckStatsAndCat(of traces: String, peers: CoursePeers) async throws {
        let check = try await p2ptrace(["check", traces])
        #expect(check.status == 0, "\(check.stdout)")
        let stats = try await p2ptrace(["stats", traces])
        for peer in peers.all { #expect(stats.stdout.contains(peer)) }
        let cat = try await p2ptrace(["cat", traces])
        let lines = cat.stdout.split(separator: "\n")
        let stamps = try lines.map { try json(String($0))["ts"] as? String ?? "" }
        #expect(lines.count > 40)
        #expect(stamps == stamps.sorted())
    }

    @Test(
        "restarted peers, a peer killed with SIGKILL and a node's lost traces: replay shows what it can, check says what is wrong"
    )
    func damagedTraceSets() async throws {
        let course = try TracedCourse()
        try await course.start()
        try await course.client(contact: 4, chunks: "1,3,4,5,9", output: "c1")
        await course.network.stop()
        try await course.start()
        try await course.client(contact: 4, chunks: "1,3,4,5,9", output: "c2")
        course.network.peers[1]?.signal(SIGKILL)
        await course.network.stop()
        guard course.wroteTraces() else { return }
        let (p1, p2, p3, p4, p5) = (course.p(1), course.p(2), course.p(3), course.p(4), course.p(5))
        let traces = course.traces.path

        // One host, but a loaded one: a send can be stamped long after its datagram left.
        let loaded = ["--clock-skew-ms", "2000"]
        let both = try Self.json(try await Self.p2ptrace(["replay", traces, "--format", "json"] + loaded).stdout)
        let floods = Self.floods(both, contact: p4)
        #expect(floods.count == 2)
        for flood in floods {
            #expect(Self.hops(flood) == [p4: [0], p5: [1], p2: [2], p3: [2], p1: [3, 3]])
            #expect(Self.served(flood) == [9: p5, 1: p2, 3: p3, 5: p1])
        }
        // Both runs are one session however long a loaded machine took to restart the peers.
        let check = try await Self.p2ptrace(["check", traces, "--session-gap-s", "3600"] + loaded)
        #expect(check.status == 1)
        #expect(check.stdout.contains("restarted_node: \(p4) was restarted"))
        #expect(check.stdout.contains("no_stop: \(p1)"))
        #expect(check.stdout.contains("truncated_segment"))

        for segment in try course.segments(ofPeer: 5) { try FileManager.default.removeItem(at: segment) }
        let withoutP5 = try await Self.p2ptrace(["replay", traces, "--format", "json"] + loaded)
        #expect(withoutP5.status == 0)
        for flood in Self.floods(try Self.json(withoutP5.stdout), contact: p4) {
            #expect(Self.hops(flood) == [p4: [0], p2: [2], p3: [2], p1: [3, 3]])
            let lost = flood["lost"] as? [[String: Any]] ?? []
            #expect(lost.map { $0["reason"] as? String } == ["receiver_untraced", "receiver_untraced"])
            // p4 stamps its QUERY after sendto returns, so on a busy machine the client's GET can carry the earlier
            // time: the order of the two is not part of what is checked.
            #expect(lost.compactMap { $0["message"] as? String }.sorted() == ["get", "query"])
            #expect(Self.served(flood)[9] == p5)
        }
        let text = try await Self.p2ptrace(["replay", traces])
        #expect(text.stdout.contains("sent to a node without traces"))
        let untraced = try await Self.p2ptrace(["check", traces])
        #expect(untraced.stdout.contains("untraced_node: \(p5) is named by"))

        let empty = course.network.folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let none = try await Self.p2ptrace(["replay", empty.path])
        #expect(none.status != 0)
        #expect(none.stderr.contains("no trace files"))
        let missing = try await Self.p2ptrace(["replay", empty.path + "/nope"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("nope"))
    }
}
