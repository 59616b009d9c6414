import ChunkTrace
import FloodReplay
import Foundation

nonisolated(unsafe) var decoder = TraceLineDecoder()

/// libFuzzer entry: replays a small trace set and renders it in every format. An input that starts with `{` is
/// read as trace lines (damaged lines skipped, as `p2ptrace` does); any other input is read as `TraceSetBytes`
/// records, which give the fuzzer floods, causes and clock skews that real lines would take long to reach.
/// Replay (with and without clock adjustment) must never trap, and its JSON outputs must parse.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let events = input.first == UInt8(ascii: "{") ? decodeLines(input) : TraceSetBytes.events(input)
    render(FloodReplayer(adjustClocks: true).replay(events: events))
    _ = FloodTextRenderer.render(FloodReplayer(adjustClocks: false).replay(events: events).floods)
    return 0
}

func decodeLines(_ input: UnsafeBufferPointer<UInt8>) -> [TraceEvent] {
    input.split(separator: UInt8(ascii: "\n")).compactMap { line in
        line.withUnsafeBytes { try? decoder.decode($0) }
    }
}

func render(_ report: ReplayReport) {
    let floods = report.floods
    _ = FloodTextRenderer.render(floods)
    _ = FloodTextRenderer.list(floods)
    for answers in FloodDotRenderer.Answers.allCases { _ = FloodDotRenderer.render(floods, answers: answers) }
    _ = FloodHTMLRenderer.render(report, floods: floods, warnings: ["fuzz"])
    expectJSON(FloodJSONRenderer.render(report, floods: floods, warnings: ["fuzz"]), "replay JSON")
    let otlp = ReplayOutputStream()
    FloodOTLPRenderer.render(floods, to: otlp)
    expectJSON(otlp.text, "OTLP JSON")
}

func expectJSON(_ text: String, _ what: String) {
    let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    precondition(parsed != nil, "the \(what) does not parse: \(text.prefix(2000))")
}
