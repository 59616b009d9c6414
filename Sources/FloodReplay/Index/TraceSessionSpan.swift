/// A group of node streams close in time: one experiment.
struct TraceSessionSpan: Sendable {
    var start: Int64
    var end: Int64
    var streams: [Int32]
}
