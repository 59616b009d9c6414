import Foundation
import TestSupport
import Testing

/// The command lines a new user tries first, run on the built executables (issue 16).
@Suite("command lines without surprises")
struct CommandLineTests {
    /// Whether the executables under test were built with the `ISAL` trait, as `peer --version` says.
    static func buildHasISAL() async throws -> Bool {
        let version = try await NodeProcess.run("peer", ["--version"])
        return version.stdout.contains("trait ISAL on")
    }

    @Test(
        "every executable answers --version with the version and the build's options",
        arguments: [
            "peer", "client", "p2ptrace", "p2pload",
        ]
    )
    func version(executable: String) async throws {
        let run = try await NodeProcess.run(executable, ["--version"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("0.1.0\n"), "\(run.stdout)")
        #expect(
            run.stdout.contains("build options: trait ISAL on") || run.stdout.contains("build options: trait ISAL off")
        )
        #expect(run.stderr.isEmpty, "\(run.stderr)")
    }

    @Test("--trace-compressor igzip: refused with a clear message without ISA-L, accepted with it")
    func igzipNeedsISAL() async throws {
        let temporary = try TemporaryFolder(prefix: "cli")
        defer { temporary.remove() }
        let folder = temporary.url
        let run = try await NodeProcess.run(
            "peer",
            ["127.0.0.1:1", "no-such-key-values-file", "--trace-dir", "traces", "--trace-compressor", "igzip"],
            in: folder
        )
        #expect(run.status != 0)
        if try await Self.buildHasISAL() {
            #expect(!run.stderr.contains("ISA-L"), "\(run.stderr)")
            #expect(run.stderr.contains("no-such-key-values-file"), "\(run.stderr)")
        } else {
            #expect(run.stderr.contains("this build has no ISA-L"), "\(run.stderr)")
            #expect(run.stderr.contains("--trace-compressor zlib"), "\(run.stderr)")
        }
    }

    @Test(
        "a negative or zero number gets a message about the number, not about a missing value",
        arguments: [
            ["client", "127.0.0.1:5001", "1", "--timeout", "-1"],
            ["client", "127.0.0.1:5001", "1", "--timeout", "0"],
            ["client", "127.0.0.1:5001", "1", "--retries", "-2"],
            ["peer", "127.0.0.1:5001", "kv", "--trace-dir", "t", "--trace-segment-seconds", "-1"],
            ["peer", "127.0.0.1:5001", "kv", "--response-rate-limit", "-5"],
            ["peer", "127.0.0.1:5001", "kv", "--max-ttl", "0"],
            ["p2ptrace", "stats", "traces", "--threads", "-1"],
            ["p2pload", "127.0.0.1:5001", "--duration", "-1"],
        ]
    )
    func negativeNumbers(command: [String]) async throws {
        let run = try await NodeProcess.run(command[0], Array(command.dropFirst()))
        let flag = command[command.count - 2]
        let value = command[command.count - 1]
        #expect(run.status != 0)
        #expect(!run.stderr.contains("Missing value"), "\(run.stderr)")
        #expect(run.stderr.contains(flag), "\(run.stderr)")
        #expect(run.stderr.contains(value), "\(run.stderr)")
    }

    @Test("p2ptrace replay on a file that is no trace says why, without pointing at warnings never printed")
    func replayNoTrace() async throws {
        let temporary = try TemporaryFolder(prefix: "cli")
        defer { temporary.remove() }
        let file = temporary.url.appendingPathComponent("notrace.txt")
        try Data("hello, this is not a trace\n".utf8).write(to: file)
        let run = try await NodeProcess.run("p2ptrace", ["replay", file.path])
        #expect(run.status != 0)
        #expect(!run.stderr.contains("warnings above"), "\(run.stderr)")
        #expect(run.stderr.contains("notrace.txt"), "\(run.stderr)")
        #expect(run.stderr.contains("--trace-dir"), "\(run.stderr)")
    }

    @Test("client: counts read right, exit 0 when chunks are missing, 3 with --fail-on-missing; stats --format json")
    func clientExitAndStats() async throws {
        let network = try CourseNetwork()
        try network.startPeer(2, extra: ["--trace-dir", "traces"])
        try await network.waitUntilServing(2)
        // Peer 2 holds chunks 1 and 2; chunk 3 is nowhere in this one-peer network.
        let one = try await network.runClient(contact: 2, chunks: "1", outputDir: "one", extra: ["--timeout", "1"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.contains("received 1 of 1 chunk;"), "\(one.stdout)")
        let missing = try await network.runClient(
            contact: 2,
            chunks: "1,3",
            outputDir: "missing",
            extra: ["--timeout", "1"]
        )
        #expect(missing.status == 0, "\(missing.stderr)")
        #expect(missing.stdout.contains("received 1 of 2 chunks, missing 3"), "\(missing.stdout)")
        let failing = try await network.runClient(
            contact: 2,
            chunks: "1,3",
            outputDir: "failing",
            extra: ["--timeout", "1", "--fail-on-missing", "--trace-dir", "traces"]
        )
        #expect(failing.status == 3, "\(failing.stdout) \(failing.stderr)")
        let complete = try await network.runClient(
            contact: 2,
            chunks: "1",
            outputDir: "complete",
            extra: ["--timeout", "1", "--fail-on-missing"]
        )
        #expect(complete.status == 0, "\(complete.stderr)")
        await network.stop()

        let traces = network.folder.appendingPathComponent("traces").path
        let json = try await NodeProcess.run("p2ptrace", ["stats", traces, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) is [String: Any], "\(json.stdout)")
        let text = try await NodeProcess.run("p2ptrace", ["stats", traces, "--format", "text"])
        #expect(text.stdout.contains(network.address(2)), "\(text.stdout)")
        #expect(text.stdout.contains("1 session\n"), "\(text.stdout)")
        let old = try await NodeProcess.run("p2ptrace", ["stats", traces, "--json"])
        #expect(old.status != 0)
        #expect(old.stderr.contains("--json"), "\(old.stderr)")
    }

    @Test("course_mininet.py under a Python without mininet re-runs with /usr/bin/python3 or says so, no traceback")
    func mininetScriptWithoutMininet() async throws {
        // `-S` hides site-packages, so this Python has no mininet module whatever is installed.
        let run = try await NodeProcess.run("/usr/bin/python3", ["-S", Self.scripts + "/course_mininet.py", "--help"])
        #expect(!run.stderr.contains("Traceback"), "\(run.stderr)")
        #expect(run.stderr.contains("re-running with /usr/bin/python3"), "\(run.stderr)")
        if run.status == 0 {
            #expect(run.stdout.contains("--bin-dir"), "\(run.stdout)")
        } else {
            #expect(run.stderr.contains("run sudo /usr/bin/python3 Scripts/course_mininet.py"), "\(run.stderr)")
        }
    }

    // MARK: - Support

    static let scripts = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts").path
}
