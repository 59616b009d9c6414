import Testing

@testable import ChunkMetrics

@Suite("Accept-Encoding negotiation and request targets")
struct AcceptEncodingTests {
    @Test(
        "gzip is chosen only when Accept-Encoding allows it",
        arguments: [
            ("gzip", true), ("GZIP", true), ("deflate, gzip;q=0.5", true), ("gzip;q=0", false),
            ("identity", false), ("*", true), ("*;q=0", false), ("gzip;q=0, *", false), ("x-gzip", true),
            ("br, *;q=0.1", true), (" gzip ; q=1 ", true),
        ])
    func gzipNegotiation(header: String, expected: Bool) {
        #expect(AcceptEncoding.allowsGzip([header]) == expected)
    }

    @Test("no Accept-Encoding means no gzip; several headers are read together")
    func severalHeaders() {
        #expect(AcceptEncoding.allowsGzip([]) == false)
        #expect(AcceptEncoding.allowsGzip(["identity", "gzip"]))
    }

    @Test("the path drops the query string and an absolute-form prefix; a target that is no path has none")
    func paths() {
        #expect(MetricsRoutes.path(of: "http://10.0.0.1:9100/metrics?x=1") == "/metrics")
        #expect(MetricsRoutes.path(of: "HTTP://host") == "/")
        #expect(MetricsRoutes.path(of: "/metrics#top") == "/metrics")
        #expect(MetricsRoutes.path(of: "*") == nil)
        #expect(MetricsRoutes.path(of: "metrics") == nil)
    }
}
