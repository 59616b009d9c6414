import Foundation
import TestSupport
import Testing

/// `p2ptrace stats --floods` over the traces of the course run by real peers and clients on loopback.
@Suite("p2ptrace stats --floods over a real course run")
struct FloodStatisticsEndToEndTests {
    typealias Course = ReplayEndToEndTests.TracedCourse

    static func p2ptrace(_ arguments: [String]) async throws -> ProcessOutput {
        try await ReplayEndToEndTests.p2ptrace(arguments)
    }

    /// The course's two example floods (p4 asks 1,3,4,5,9; p1 asks 5,6,7), traced.
    static func courseRun() async throws -> Course {
        let course = try Course()
        try await course.start()
        try await course.client(contact: 4, chunks: "1,3,4,5,9", output: "c1")
        try await course.client(contact: 1, chunks: "5,6,7", output: "c2")
        await course.network.stop()
        return course
    }

    @Test("one JSON row per flood with the figures of PROTOCOL.md's flood tree, times in order")
    func jsonRowsOfTheCourse() async throws {
        let course = try await Self.courseRun()
        guard course.wroteTraces() else { return }
        let result = try await Self.p2ptrace(["stats", course.traces.path, "--floods", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try ReplayEndToEndTests.json(result.stdout)
        #expect(document["schema"] as? String == "p2ptrace-flood-stats/1")
        let rows = try #require(document["floods"] as? [[String: Any]])
        #expect(rows.map { $0["contact"] as? String } == [course.p(4), course.p(1)])
        let first = rows[0]
        // p4 -> p5 -> {p2, p3} -> p1 twice: 5 queries, p1 reached twice, both arrivals at p1 with ttl 1.
        #expect(first["asked"] as? [Int] == [1, 3, 4, 5, 9])
        #expect(first["peers_reached"] as? Int == 5 && first["peers_traced"] as? Int == 5)
        #expect(first["coverage"] as? Double == 1.0)
        #expect(first["query_messages"] as? Int == 5 && first["duplicates"] as? Int == 1)
        #expect(first["expired"] as? Int == 2 && first["lost"] as? Int == 0 && first["depth"] as? Int == 3)
        #expect(first["chunk_infos"] as? Int == 5)
        #expect(first["chunks_found"] as? Int == 4 && first["chunks_missing"] as? Int == 1)
        let firstInfo = try #require(first["first_chunk_info_us"] as? Int)
        let lastInfo = try #require(first["last_chunk_info_us"] as? Int)
        let lastChunk = try #require(first["last_chunk_us"] as? Int)
        #expect(0 < firstInfo && firstInfo <= lastInfo && firstInfo < lastChunk)
        // p1 -> {p2, p3} -> p5 twice -> each time on to p4 and the other of p2/p3, with ttl 1.
        let second = rows[1]
        #expect(second["query_messages"] as? Int == 8 && second["peers_reached"] as? Int == 5)
        #expect(second["duplicates"] as? Int == 4 && second["expired"] as? Int == 4)
        #expect(second["chunks_found"] as? Int == 3 && second["chunks_missing"] as? Int == 0)
        #expect(rows.allSatisfy { $0["retry_of"] is NSNull && $0["lost"] as? Int == 0 })
    }

    @Test("CSV: a header naming every column, then the same figures as the JSON rows")
    func csvMatchesJSON() async throws {
        let course = try await Self.courseRun()
        guard course.wroteTraces() else { return }
        // One machine, one clock: --no-adjust keeps both renderings on the raw times.
        let csv = try await Self.p2ptrace(["stats", course.traces.path, "--floods", "--format", "csv", "--no-adjust"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        try #require(lines.count == 3, "\(csv.stdout)")
        let header = lines[0].map(String.init)
        #expect(header.prefix(6) == ["flood", "session", "retry_of", "client", "contact", "asked"])
        #expect(lines.allSatisfy { $0.count == header.count })
        let jsonRun = try await Self.p2ptrace(
            ["stats", course.traces.path, "--floods", "--format", "json", "--no-adjust"])
        let json = try ReplayEndToEndTests.json(jsonRun.stdout)
        let rows = try #require(json["floods"] as? [[String: Any]])
        for (line, row) in zip(lines.dropFirst(), rows) {
            for (name, cell) in zip(header, line) where name != "asked" && name != "coverage" {
                let value = row[name].map { $0 is NSNull ? "" : "\($0)" }
                #expect(value == String(cell), "column \(name)")
            }
        }
        #expect(lines[1][header.firstIndex(of: "asked") ?? 0] == "1 3 4 5 9")
        #expect(lines[1][header.firstIndex(of: "coverage") ?? 0] == "1.0000")

        let table = try await Self.p2ptrace(["stats", course.traces.path, "--floods"])
        #expect(table.stdout.split(separator: "\n").count == 3 && table.stdout.hasPrefix("flood"))
        let refused = try await Self.p2ptrace(["stats", course.traces.path, "--format", "csv"])
        #expect(refused.status != 0 && refused.stderr.contains("--format csv lists floods: add --floods"))
    }
}
