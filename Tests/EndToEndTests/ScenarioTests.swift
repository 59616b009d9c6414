import Foundation
import TestSupport
import Testing

/// The course scenario run for real as a user runs it: Mininet, plain network namespaces (with and without loss),
/// a real Prometheus scraping the namespace peers for every dashboard query, and the shipped configuration files.
///
/// The scenarios need root, Mininet (`mininet`, `bridge-utils`), `iproute2`, `iptables`, `prometheus`, `promtool`
/// and `docker-compose`; those that create namespaces are skipped when not root; a missing tool fails with a message naming its package. Each scenario writes into its own
/// temporary folder, which is named in every failure message. Executables come from `BIN_DIR` or the test build.
@Suite("course scenarios: Mininet, namespaces, Prometheus, compose", .serialized)
struct ScenarioTests {
    @Test("the Mininet course scenario delivers every chunk and replays the expected flood", ScenarioRun.needsRoot)
    func mininetScenario() async throws {
        try ScenarioRun.requireTool("/usr/bin/mn", package: "mininet")
        try ScenarioRun.requireTool("/usr/sbin/brctl", package: "bridge-utils")
        let run = try ScenarioRun(name: "mininet")
        let status = try await run.execute(
            ["/usr/bin/python3", "Scripts/course_mininet.py", "--out", run.folder.path, "--capture"])
        #expect(status == 0, "course_mininet.py failed: \(run.outputTail)")
        try run.expectExampleClientsSucceeded()
        try run.expectReplayedFloods()
        try await run.expectCapturedFloods()
        #expect(try await run.promtoolCheckConfig(run.folder.appendingPathComponent("prometheus.yml").path) == 0)
    }

    @Test("the namespace course scenario delivers every chunk and replays the expected flood", ScenarioRun.needsRoot)
    func namespaceScenario() async throws {
        let run = try ScenarioRun(name: "netns")
        let status = try await run.execute([
            "/bin/bash", "Scripts/course_netns.sh", "--out", run.folder.path, "--capture",
        ])
        #expect(status == 0, "course_netns.sh failed: \(run.outputTail)")
        try run.expectExampleClientsSucceeded()
        try run.expectReplayedFloods()
        try await run.expectCapturedFloods()
        #expect(try await run.promtoolCheckConfig(run.folder.appendingPathComponent("prometheus.yml").path) == 0)
    }

    @Test(
        "with 10% loss on the client's link, three client runs still get every chunk thanks to retries",
        ScenarioRun.needsRoot)
    func lossyNamespaceScenario() async throws {
        let run = try ScenarioRun(name: "netns-loss")
        let status = try await run.execute([
            "/bin/bash", "Scripts/course_netns.sh", "--out", run.folder.path, "--loss", "10%", "--loss-host", "h6",
            "--hello-retries", "3", "--retries", "5", "--repeat", "3",
        ])
        #expect(status == 0, "course_netns.sh --loss 10% failed: \(run.outputTail)")
        let summary = (try? String(contentsOf: run.folder.appendingPathComponent("summary.txt"), encoding: .utf8)) ?? ""
        #expect(summary.contains("loss: 10% both ways on h6's link"), "no loss was set up: \(summary)")
        // "loss: dropped 3 of 68 UDP datagrams to h6, 3 of 27 from h6": ~95 datagrams at 10% leave none lost with
        // probability 0.9^95 < 1e-4, so the clients below really went through loss.
        let dropped = summary.split(separator: "\n").first { $0.hasPrefix("loss: dropped ") }.map { line in
            line.split(separator: " ").compactMap { Int($0) }
        }
        let counts = try #require(dropped, "the summary does not say how many datagrams were dropped: \(summary)")
        #expect(counts.count == 4 && counts[0] + counts[2] > 0, "no datagram was dropped: \(summary)")
        try run.expectExampleClientsSucceeded()
        for round in ["h6-2", "h6-3"] {
            let lines = try run.lines(of: "clients/\(round)/output-10.0.0.6.log")
            #expect(
                lines.count == 5 && lines.last == "0.0.0.0:0 - 4"
                    && !lines.dropLast().contains { $0.hasPrefix("0.0.0.0") },
                "\(round) log: \(lines)")
        }
    }

    @Test(
        "with 10% loss on the p4-p5 link, every dashboard query returns data from a real Prometheus and node_exporter",
        ScenarioRun.needsRoot)
    func dashboardsHaveData() async throws {
        try ScenarioRun.requireTool("/usr/bin/prometheus", package: "prometheus")
        try ScenarioRun.requireTool("/usr/bin/prometheus-node-exporter", package: "prometheus-node-exporter")
        let run = try ScenarioRun(name: "dashboards")
        let status = try await run.execute([
            "/bin/bash", "Scripts/course_netns.sh", "--out", run.folder.path, "--check-dashboards", "--loss", "10%",
            "--loss-link", "h4,h5",
        ])
        #expect(status == 0, "course_netns.sh --check-dashboards failed: \(run.outputTail)")
        let report = try String(contentsOf: run.folder.appendingPathComponent("dashboard-check.txt"), encoding: .utf8)
        let lines = report.split(separator: "\n")
        let passed = lines.filter { $0.hasPrefix("PASS ") && !$0.hasPrefix("PASS targets") }.count
        let failed = lines.filter { $0.hasPrefix("FAIL ") }
        #expect(failed.isEmpty, "panels without data:\n\(failed.joined(separator: "\n"))\nin \(run.folder.path)")
        #expect(passed == (try ScenarioRun.dashboardQueryCount()), "not every dashboard query was checked:\n\(report)")
        #expect(try await run.promtoolCheckConfig(run.folder.appendingPathComponent("prometheus.yml").path) == 0)
        try run.expectNetworkPanels()
    }

    @Test("every shipped Prometheus configuration passes promtool check config")
    func prometheusConfigurations() async throws {
        try ScenarioRun.requireTool("/usr/bin/promtool", package: "prometheus")
        let run = try ScenarioRun(name: "promtool")
        let folder = ScenarioRun.packageRoot.appendingPathComponent("Scripts/prometheus")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yml") }
        #expect(files.count >= 2)
        for file in files.sorted() {
            #expect(
                try await run.promtoolCheckConfig(folder.appendingPathComponent(file).path) == 0,
                "\(file): \(run.outputTail)"
            )
        }
        let generated = run.folder.appendingPathComponent("generated.yml")
        #expect(
            try await run.execute(["/usr/bin/python3", "Scripts/course.py", "prometheus-config"], output: generated)
                == 0)
        #expect(try await run.promtoolCheckConfig(generated.path) == 0, "\(run.outputTail)")
    }

    @Test("docker-compose.yml passes docker-compose config")
    func composeFileIsValid() async throws {
        try ScenarioRun.requireTool("/usr/bin/docker-compose", package: "docker-compose")
        let run = try ScenarioRun(name: "compose")
        let status = try await run.execute(["/usr/bin/docker-compose", "-f", "docker-compose.yml", "config", "-q"])
        #expect(status == 0, "docker-compose config -q: \(run.outputTail)")
        let compose = try String(
            contentsOf: ScenarioRun.packageRoot.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        for n in 1...5 { #expect(compose.contains("ipv4_address: 10.0.0.\(n)}"), "peer \(n) is not on 10.0.0.\(n)") }
        #expect(compose.contains("./Dashboards/provisioning/datasources:/etc/grafana/provisioning/datasources"))
        #expect(compose.contains("./Dashboards/provisioning/dashboards:/etc/grafana/provisioning/dashboards"))
    }

    @Test("dashboards filter by $instance, use $__rate_interval and a $datasource, and are provisioned")
    func dashboardsAreWellFormed() throws {
        let dashboards = try ScenarioRun.dashboards()
        #expect(!dashboards.isEmpty)
        #expect(dashboards.map(\.0).contains("p2p-network.json"), "no network dashboard")
        for (name, dashboard) in dashboards {
            let variables = ((dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]]) ?? []
            #expect(variables.contains { $0["name"] as? String == "instance" }, "\(name): no $instance variable")
            #expect(variables.contains { $0["name"] as? String == "job" }, "\(name): no $job variable")
            let annotations = (dashboard["annotations"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
            #expect(
                annotations.contains { ($0["expr"] as? String)?.contains("p2p_experiment_running") == true },
                "\(name): no experiment annotation")
            #expect(variables.contains { $0["name"] as? String == "datasource" }, "\(name): no $datasource variable")
            let panels = ScenarioRun.panels(dashboard).filter { $0["type"] as? String != "row" }
            #expect(!panels.isEmpty, "\(name): no panels")
            let ids = panels.compactMap { $0["id"] as? Int }
            #expect(Set(ids).count == panels.count, "\(name): panel ids are missing or repeated")
            for panel in panels {
                let title = panel["title"] as? String ?? "?"
                let targets = panel["targets"] as? [[String: Any]] ?? []
                #expect(!targets.isEmpty, "\(name): panel '\(title)' has no query")
                let description = panel["description"] as? String
                #expect(description?.isEmpty == false, "\(name): panel '\(title)' has no description")
                let unit = ((panel["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any])?["unit"] as? String
                #expect(unit?.isEmpty == false, "\(name): panel '\(title)' has no unit")
                for expr in targets.compactMap({ $0["expr"] as? String }) {
                    #expect(expr.contains("instance=~\"$instance\""), "\(name) '\(title)': \(expr) ignores $instance")
                    #expect(expr.contains("job=~\"$job\""), "\(name) '\(title)': \(expr) ignores $job")
                    let ranged = expr.contains("rate(") || expr.contains("increase(")
                    #expect(!ranged || expr.contains("[$__rate_interval]"), "\(name) '\(title)': \(expr)")
                }
                let uid = (panel["datasource"] as? [String: Any])?["uid"] as? String
                #expect(uid == "${datasource}", "\(name) '\(title)': datasource \(uid ?? "none")")
            }
        }
        let provider = try String(
            contentsOf: ScenarioRun.packageRoot.appendingPathComponent(
                "Dashboards/provisioning/dashboards/p2p-chunks.yml"),
            encoding: .utf8)
        #expect(provider.contains("path: /var/lib/grafana/dashboards"))
        let datasource = try String(
            contentsOf: ScenarioRun.packageRoot.appendingPathComponent(
                "Dashboards/provisioning/datasources/prometheus.yml"),
            encoding: .utf8)
        #expect(datasource.contains("type: prometheus") && datasource.contains("url: http://prometheus:9090"))
    }
}

/// One scenario's folder and the commands run for it from the package root.
private struct ScenarioRun {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let courseData = packageRoot.appendingPathComponent("../shared/fixtures/course").standardized

    let folder: URL
    private let log: URL

    init(name: String) throws {
        folder = try TemporaryFolder(prefix: "scenario-\(name)").url
        log = folder.appendingPathComponent("test-output.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    }

    /// Skips a scenario that creates network namespaces when the tests do not run as root (`Scripts/test.sh` does).
    static let needsRoot = ConditionTrait.enabled(
        if: getuid() == 0, "creates network namespaces: run the tests as root")

    static func requireTool(_ path: String, package: String) throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: path), "\(path) is missing: apt-get install \(package)")
    }

    /// Runs `arguments` from the package root with `BIN_DIR` and `COURSE_DIR` set, bounded by `timeout`, appending
    /// its output to this run's log (or writing stdout to `output`); returns the exit status. Waits without holding a
    /// thread of the cooperative pool.
    @discardableResult
    func execute(_ arguments: [String], output: URL? = nil, timeout: Int = 240) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["--kill-after=20", String(timeout)] + arguments
        process.currentDirectoryURL = Self.packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["BIN_DIR"] = NodeProcess.binDirectory.path
        environment["COURSE_DIR"] = Self.courseData.path
        process.environment = environment
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        logHandle.seekToEndOfFile()
        logHandle.write(Data("$ \(arguments.joined(separator: " "))\n".utf8))
        if let output {
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: output)
        } else {
            process.standardOutput = logHandle
        }
        process.standardError = logHandle
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    func promtoolCheckConfig(_ path: String) async throws -> Int32 {
        try await execute(["/usr/bin/promtool", "check", "config", path])
    }

    /// The last lines the commands printed, and where the whole run is.
    var outputTail: String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n")
            + "\n(run folder: \(folder.path))"
    }

    /// Both example clients: their logs name the course's holders and every saved chunk equals the course's file.
    func expectExampleClientsSucceeded() throws {
        let h6 = try lines(of: "clients/h6/output-10.0.0.6.log")
        #expect(
            Set(h6.prefix(4)) == ["10.0.0.5:5005 - 9", "10.0.0.2:5002 - 1", "10.0.0.3:5003 - 3", "10.0.0.1:5001 - 5"],
            "h6 log: \(h6) in \(folder.path)")
        #expect(h6.count == 5 && h6.last == "0.0.0.0:0 - 4", "h6 log: \(h6)")
        let h7 = try lines(of: "clients/h7/output-10.0.0.7.log")
        #expect(
            Set(h7) == ["10.0.0.1:5001 - 5", "10.0.0.1:5001 - 6", "10.0.0.1:5001 - 7"] && h7.count == 3, "h7 log: \(h7)"
        )
        for (host, ids) in [("h6", [1, 3, 5, 9]), ("h7", [5, 6, 7])] {
            for id in ids {
                let saved = try Data(contentsOf: folder.appendingPathComponent("clients/\(host)/chunk\(id).m4s"))
                let course = try Data(
                    contentsOf: Self.courseData.appendingPathComponent("Chunks/BigBuckBunny_\(id).m4s"))
                #expect(saved == course, "\(host)/chunk\(id).m4s differs from BigBuckBunny_\(id).m4s")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("clients/h6/chunk4.m4s").path))
    }

    /// Per example client (h6, h7): the hops at which its flood's QUERYs reach each peer.
    static let expectedHops: [(String, [String: [Int]])] = [
        ("10.0.0.6", ["10.0.0.5:5005": [1], "10.0.0.2:5002": [2], "10.0.0.3:5003": [2], "10.0.0.1:5001": [3, 3]]),
        (
            "10.0.0.7",
            [
                "10.0.0.3:5003": [1, 3], "10.0.0.2:5002": [1, 3], "10.0.0.5:5005": [2, 2], "10.0.0.4:5004": [3, 3],
            ]
        ),
    ]

    /// The run's `--capture` pcap read by tshark with our dissector: as many packets as the summary says tcpdump
    /// captured, both example clients' HELLOs with their chunks, and as many QUERYs as their floods send; and the
    /// floods replayed from the capture alone (`p2ptrace import`) are the course's.
    func expectCapturedFloods() async throws {
        let pcap = folder.appendingPathComponent("capture.pcap")
        try #require(FileManager.default.fileExists(atPath: pcap.path), "--capture wrote no \(pcap.path)")
        try Self.requireTool("/usr/bin/tshark", package: "tshark")
        let shown = folder.appendingPathComponent("capture-floods.txt")
        let status = try await execute(
            [
                "/usr/bin/tshark", "-r", pcap.path, "-X", "lua_script:Scripts/wireshark/p2pchunks.lua",
                "-T", "fields", "-e", "p2pchunks.type", "-e", "ip.src", "-e", "p2pchunks.chunk",
            ], output: shown)
        #expect(status == 0, "tshark could not read \(pcap.path): \(outputTail)")
        let rows = try lines(of: "capture-floods.txt").map { $0.split(separator: "\t").map(String.init) }
        let summary = try String(contentsOf: folder.appendingPathComponent("summary.txt"), encoding: .utf8)
        #expect(summary.contains("capture: \(pcap.path) (\(rows.count) packets)"), "summary: \(summary)")
        let hellos = rows.filter { $0.first == "1" }.map { $0.dropFirst().joined(separator: " ") }
        #expect(Set(hellos) == ["10.0.0.6 1,3,4,5,9", "10.0.0.7 5,6,7"] && hellos.count == 2, "HELLOs: \(hellos)")
        let queries = rows.filter { $0.first == "2" }.count
        let expected = Self.expectedHops.flatMap { $0.1.values }.map(\.count).reduce(0, +)
        #expect(queries == expected, "\(queries) QUERYs in \(pcap.path), the floods send \(expected)")
        #expect(summary.contains("capture: replayed from \(pcap.path)"), "not replayed from the capture: \(summary)")
        try expectReplayedFloods(in: "capture-replay.json")
    }

    /// `p2ptrace replay --format json` of the run (schema p2ptrace-replay/1), from its traces or (`capture-replay.json`)
    /// from its capture alone: h6's flood reaches p5 at hop 1, p2 and p3 at hop 2 and p1 twice at hop 3; h7's flood
    /// reaches p2 and p3 at hops 1 and 3, p5 twice at hop 2 and p4 twice at hop 3.
    func expectReplayedFloods(in file: String = "replay.json") throws {
        let path = folder.appendingPathComponent(file)
        try #require(FileManager.default.fileExists(atPath: path.path), "p2ptrace replay wrote no \(path.path)")
        let data = try Data(contentsOf: path)
        let replay = try JSONSerialization.jsonObject(with: data)
        for (client, hops) in Self.expectedHops {
            let floods = ((replay as? [String: Any])?["floods"] as? [[String: Any]] ?? []).filter {
                ($0["client"] as? String)?.hasPrefix(client + ":") == true
            }
            #expect(floods.count == 1, "\(file) has \(floods.count) floods from \(client), expected 1 (\(folder.path))")
            guard let flood = floods.first else { continue }
            let visits = flood["visits"] as? [[String: Any]] ?? []
            var got = [String: [Int]]()
            for visit in visits {
                guard let node = visit["node"] as? String, let hop = visit["hop"] as? Int, hop > 0 else { continue }
                got[node, default: []].append(hop)
            }
            #expect(got.mapValues { $0.sorted() } == hops, "\(file), \(client)'s flood: hops \(got), expected \(hops)")
            let duplicates = visits.filter { !($0["duplicate_of"] is NSNull) && $0["duplicate_of"] != nil }.count
            #expect(duplicates == hops.values.map { $0.count - 1 }.reduce(0, +), "duplicates in \(client)'s flood")
        }
    }

    /// What the dashboards' queries answered after the lossy run (`dashboard-results.json`): the lossy-links table
    /// names the p4-p5 link and no other, the duplicate count and ratio equal replay's, and the client panels show
    /// the example clients (from node_exporter's textfile collector).
    func expectNetworkPanels() throws {
        let data = try Data(contentsOf: folder.appendingPathComponent("dashboard-results.json"))
        let results = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        func series(_ panel: String, _ refID: String = "A") throws -> [(labels: [String: String], value: Double)] {
            let entry = try #require(
                results.first { ($0["where"] as? String)?.hasSuffix("panel '\(panel)' \(refID)") == true },
                "no answer for panel '\(panel)' \(refID)")
            let answer = (entry["answer"] as? [String: Any])?["data"] as? [String: Any]
            return (answer?["result"] as? [[String: Any]] ?? []).map { sample in
                let value = ((sample["value"] as? [Any])?.last as? String).flatMap(Double.init) ?? .nan
                return (sample["metric"] as? [String: String] ?? [:], value)
            }
        }
        let lossy = try series("Lossy links")
        let named = Set(lossy.map { "\($0.labels["node"] ?? "?") → \($0.labels["neighbor"] ?? "?")" })
        #expect(!named.isEmpty, "no lossy link shown (\(folder.path))")
        #expect(named.isSubset(of: ["10.0.0.4:5004 → 10.0.0.5:5005", "10.0.0.5:5005 → 10.0.0.4:5004"]), "\(lossy)")
        #expect(lossy.allSatisfy { $0.value > 0 }, "\(lossy)")

        let replay =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: folder.appendingPathComponent("replay.json"))) as? [String: Any]
        let floods = replay?["floods"] as? [[String: Any]] ?? []
        let replayed = floods.compactMap { ($0["summary"] as? [String: Any])?["duplicates"] as? Int }.reduce(0, +)
        let queriesReceived = floods.map { flood in
            (flood["visits"] as? [[String: Any]] ?? []).filter { ($0["hop"] as? Int ?? 0) > 0 }.count
        }.reduce(0, +)
        #expect(replayed > 0 && floods.count > 20, "replay found \(floods.count) floods, \(replayed) duplicates")
        let counted = try series("Duplicate queries since the peers started", "A")
        #expect(counted.map(\.value) == [Double(replayed)], "dashboard \(counted), replay \(replayed)")
        let ratio = try series("Duplicate queries since the peers started", "B")
        let replayedRatio = Double(replayed) / Double(max(queriesReceived, 1))
        #expect(
            ratio.count == 1 && abs((ratio.first?.value ?? .nan) - replayedRatio) < 1e-9,
            "dashboard ratio \(ratio), replay \(replayed) of \(queriesReceived)")

        func byClient(_ samples: [(labels: [String: String], value: Double)], _ host: String) -> [Double] {
            samples.filter { $0.labels["node"]?.hasPrefix(host + ":") == true }.map(\.value)
        }
        let received = try series("Chunks received and missing per client", "A")
        let missing = try series("Chunks received and missing per client", "B")
        #expect(byClient(received, "10.0.0.6").contains(4) && byClient(missing, "10.0.0.6").contains(1), "\(received)")
        #expect(byClient(received, "10.0.0.7").contains(3), "\(received)")
        let peers = try series("Clients: time to complete and peers used", "B")
        #expect(byClient(peers, "10.0.0.6").contains(4) && byClient(peers, "10.0.0.7").contains(1), "\(peers)")
        let quantiles = try series("Time to complete (quantiles)", "A")
        #expect(quantiles.count == 1 && (quantiles.first?.value ?? 0) > 0, "\(quantiles)")
    }

    func lines(of path: String) throws -> [String] {
        let text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter {
            !$0.isEmpty
        }
    }

    static func dashboards() throws -> [(String, [String: Any])] {
        let folder = packageRoot.appendingPathComponent("Dashboards")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
            .sorted()
            .map { name in
                let data = try Data(contentsOf: folder.appendingPathComponent(name))
                return (name, try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name)"))
            }
    }

    static func panels(_ container: [String: Any]) -> [[String: Any]] {
        let direct = container["panels"] as? [[String: Any]] ?? []
        return direct.flatMap { [$0] + panels($0) }
    }

    /// How many queries `Scripts/dashboard_check.py` must run: every panel target and every label_values() variable.
    static func dashboardQueryCount() throws -> Int {
        try dashboards().reduce(0) { count, entry in
            let targets = panels(entry.1).flatMap { $0["targets"] as? [[String: Any]] ?? [] }
                .filter { $0["expr"] is String && $0["hide"] as? Bool != true }
            let variables = ((entry.1["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []).filter {
                let query = ($0["query"] as? [String: Any])?["query"] ?? $0["query"]
                return $0["type"] as? String == "query" && (query as? String)?.contains("label_values(") == true
            }
            let annotations = ((entry.1["annotations"] as? [String: Any])?["list"] as? [[String: Any]] ?? []).filter {
                $0["expr"] is String && $0["enable"] as? Bool != false
            }
            return count + targets.count + variables.count + annotations.count
        }
    }
}
