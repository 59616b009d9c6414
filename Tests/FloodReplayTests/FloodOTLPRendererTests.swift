import Foundation
import TestSupport
import Testing

@testable import FloodReplay

@Suite("OTLP/JSON export: one trace per flood, one span per visit")
struct FloodOTLPRendererTests {
    /// A venv with the `opentelemetry-proto` package (PyPI), made once and reused: `P2P_OTLP_VENV` or a fixed
    /// folder under /tmp. `Scripts/test.sh` makes it before the tests.
    static func otlpPython() async throws -> String {
        let venv = ProcessInfo.processInfo.environment["P2P_OTLP_VENV"] ?? "/tmp/p2p-otlp-venv"
        let python = venv + "/bin/python"
        if try await ProcessRunner.run(python, ["-c", "import opentelemetry.proto"]).status != 0 {
            _ = try await ProcessRunner.run("/usr/bin/python3", ["-m", "venv", venv])
            let pip = try await ProcessRunner.run(venv + "/bin/pip", ["install", "-q", "opentelemetry-proto"])
            try #require(pip.status == 0, "pip install opentelemetry-proto into \(venv) failed: \(pip.output)")
        }
        return python
    }

    static let check = #"""
        import json, sys
        from google.protobuf import json_format
        from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
        req = json_format.Parse(open(sys.argv[1]).read(), ExportTraceServiceRequest())
        replay = json.load(open(sys.argv[2]))
        spans = {}
        for rs in req.resource_spans:
            node = {a.key: a.value.string_value for a in rs.resource.attributes}["p2p.node"]
            for ss in rs.scope_spans:
                for s in ss.spans:
                    attrs = {a.key: a.value.string_value for a in s.attributes}
                    spans[(int(attrs["p2p.flood"]), int(attrs["p2p.visit"]))] = (s, node)
        want = {(f["index"], v["id"]): (v, f) for f in replay["floods"] for v in f["visits"]}
        assert set(spans) == set(want), (sorted(spans), sorted(want))
        for key, (visit, flood) in want.items():
            span, node = spans[key]
            assert node == visit["node"], (key, node)
            assert span.trace_id == spans[(flood["index"], 0)][0].trace_id, key
            if visit["parent"] is None:
                assert span.parent_span_id == b"", key
            else:
                assert span.parent_span_id == spans[(flood["index"], visit["parent"])][0].span_id, key
        traces = {s.trace_id for s, _ in spans.values()}
        assert len(traces) == len(replay["floods"])
        infos = sum(1 for s, _ in spans.values() for e in s.events if e.name == "CHUNK_INFO sent")
        assert infos == sum(len(f["answers"]) for f in replay["floods"]), infos
        print(len(traces), len(spans), infos)
        """#

    @Test("parses as an ExportTraceServiceRequest; spans, parents and CHUNK_INFO events match the replay JSON")
    func matchesReplayJSON() async throws {
        let simulator = FloodReplayerTests.courseRun {
            $0.startClient("10.0.0.7:40001", contact: FloodReplayerTests.p1, chunks: [5, 6, 7])
        }
        let report = FloodReplayer().replay(events: simulator.events)
        try #require(report.floods.count == 2)
        let folder = try TraceFolder()
        let otlp = ReplayOutputStream()
        FloodOTLPRenderer.render(report.floods, to: otlp)
        try otlp.text.write(toFile: folder.path + "/otlp.json", atomically: false, encoding: .utf8)
        try FloodJSONRenderer.render(report, floods: report.floods)
            .write(toFile: folder.path + "/replay.json", atomically: false, encoding: .utf8)
        try Self.check.write(toFile: folder.path + "/check.py", atomically: false, encoding: .utf8)
        let result = try await ProcessRunner.run(
            try Self.otlpPython(),
            [folder.path + "/check.py", folder.path + "/otlp.json", folder.path + "/replay.json"])
        let visits = report.floods.map(\.visits.count).reduce(0, +)
        let answers = report.floods.map(\.answers.count).reduce(0, +)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout == "2 \(visits) \(answers)\n")
    }

    @Test("ids are hex of the OTLP sizes, stable from run to run, different per flood and per visit")
    func deterministicIDs() throws {
        let floods = FloodReplayer().replay(events: FloodReplayerTests.courseRun().events).floods
        let again = FloodReplayer().replay(events: FloodReplayerTests.courseRun().events).floods
        let flood = try #require(floods.first)
        let trace = FloodOTLPRenderer.traceID(flood)
        #expect(trace.count == 32 && trace.allSatisfy(\.isHexDigit))
        #expect(trace == FloodOTLPRenderer.traceID(try #require(again.first)))
        let spans = flood.visits.map { FloodOTLPRenderer.spanID(flood, visit: $0.id) }
        #expect(Set(spans).count == flood.visits.count && spans.allSatisfy { $0.count == 16 })
        var other = flood
        other.start += 1
        #expect(FloodOTLPRenderer.traceID(other) != trace)
    }
}
