import Foundation
import Testing

/// `p2pload` against a real `peer` process: it must count exactly what the peer answered.
@Suite("p2pload load generator against a real peer")
struct LoadGeneratorTests {
    /// The fields of p2pload's JSON line that the tests check.
    struct Report: Decodable {
        var sent: Int
        var answers: Int
        var invalid: Int
        var lost: Int
        var answersPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case sent, answers, invalid, lost
            case answersPerSecond = "answers_per_second"
        }
    }

    /// What counts as lost here: a loaded test machine can pause a process for tens of milliseconds, which is not a
    /// lost datagram (p2pload's 50 ms default is for benchmarks on a quiet machine).
    static let patientStallMs = "3000"

    /// Starts course peer 2 (chunks 1 and 2) with no neighbours, so every request gets exactly one answer.
    private func startPeer() async throws -> (CourseNetwork, NodeProcess) {
        let network = try CourseNetwork()
        let peer = try NodeProcess(
            "peer", [network.address(2), network.folder.appendingPathComponent("data/key-values-files_peer2").path],
            in: network.folder)
        try await network.waitUntilServing(2)
        return (network, peer)
    }

    private func load(_ arguments: [String]) async throws -> Report {
        let run = try await NodeProcess.run("p2pload", arguments, seconds: 60)
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(run.stdout.split(separator: "\n").last, "p2pload printed nothing: \(run.stderr)")
        return try JSONDecoder().decode(Report.self, from: Data(line.utf8))
    }

    @Test("every GET for a held chunk is counted as one answer, none lost", arguments: [1, 4])
    func countsResponses(sockets: Int) async throws {
        let (network, peer) = try await startPeer()
        defer { peer.signal(SIGKILL) }
        let report = try await load([
            network.address(2), "--chunk", "2", "--count", "600", "--sockets", "\(sockets)", "--window", "8",
            "--stall-ms", Self.patientStallMs, "--drain-ms", Self.patientStallMs,
        ])
        #expect(report.sent == 600)
        #expect(report.answers == 600)
        #expect(report.invalid == 0)
        #expect(report.lost == 0)
        #expect(report.answersPerSecond > 0)
    }

    @Test("HELLOs and QUERYs naming the generator's socket are each answered by one CHUNK_INFO")
    func countsChunkInfos() async throws {
        let (network, peer) = try await startPeer()
        defer { peer.signal(SIGKILL) }
        let report = try await load([
            network.address(2), "--mix", "mixed", "--chunk", "1", "--count", "300",
            "--stall-ms", Self.patientStallMs, "--drain-ms", Self.patientStallMs,
        ])
        #expect(report.sent == 300)
        #expect(report.answers == 300)
        #expect(report.lost == 0)
    }

    @Test("requests for a chunk the peer lacks are reported lost, not answered")
    func countsUnansweredAsLost() async throws {
        let (network, peer) = try await startPeer()
        defer { peer.signal(SIGKILL) }
        let report = try await load([network.address(2), "--chunk", "4", "--count", "40", "--stall-ms", "20"])
        #expect(report.sent == 40)
        #expect(report.answers == 0)
        #expect(report.lost == 40)
    }

    @Test("a bad command line is refused with a message")
    func refusesBadArguments() async throws {
        let run = try await NodeProcess.run("p2pload", ["127.0.0.1:5001", "--mix", "flood"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--mix"))
    }
}
