import Testing

@testable import ChunkMetrics

@Suite("Ordering Prometheus text")
struct ExpositionOrderingTests {
    @Test("families sort by name, series by label values, histogram lines keep their order")
    func ordering() {
        let input = """
            # HELP b_total B.
            # TYPE b_total counter
            b_total{k="z"} 1
            b_total{k="a"} 2
            # HELP a_seconds A.
            # TYPE a_seconds histogram
            a_seconds_bucket{t="y",le="0.1"} 1
            a_seconds_bucket{t="y",le="+Inf"} 1
            a_seconds_sum{t="y"} 0.05
            a_seconds_count{t="y"} 1
            a_seconds_bucket{t="x",le="0.1"} 0
            a_seconds_bucket{t="x",le="+Inf"} 2
            a_seconds_sum{t="x"} 3
            a_seconds_count{t="x"} 2

            """
        let expected = """
            # HELP a_seconds A.
            # TYPE a_seconds histogram
            a_seconds_bucket{t="x",le="0.1"} 0
            a_seconds_bucket{t="x",le="+Inf"} 2
            a_seconds_sum{t="x"} 3
            a_seconds_count{t="x"} 2
            a_seconds_bucket{t="y",le="0.1"} 1
            a_seconds_bucket{t="y",le="+Inf"} 1
            a_seconds_sum{t="y"} 0.05
            a_seconds_count{t="y"} 1
            # HELP b_total B.
            # TYPE b_total counter
            b_total{k="a"} 2
            b_total{k="z"} 1

            """
        #expect(String(decoding: ExpositionOrdering.ordered(Array(input.utf8)), as: UTF8.self) == expected)
    }

    @Test("label values holding commas, braces and escaped quotes stay whole in the series key")
    func escapedValues() {
        let line = Array(#"m{a="x,\"}y",le="1",b="2"} 3"#.utf8)
        #expect(String(decoding: ExpositionOrdering.seriesKey(line[...]), as: UTF8.self) == #"a="x,\"}y",b="2""#)
    }
}
