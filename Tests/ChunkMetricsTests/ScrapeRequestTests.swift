import Testing

@testable import ChunkMetrics

@Suite("Parsing request heads")
struct ScrapeRequestTests {
    static func parse(_ text: String) throws -> ScrapeRequest {
        try ScrapeRequest.parse(Array(text.utf8))
    }

    @Test(
        "gzip is chosen only when Accept-Encoding allows it",
        arguments: [
            ("gzip", true), ("GZIP", true), ("deflate, gzip;q=0.5", true), ("gzip;q=0", false),
            ("identity", false), ("*", true), ("*;q=0", false), ("gzip;q=0, *", false), ("x-gzip", true),
            ("br, *;q=0.1", true),
        ])
    func gzipNegotiation(header: String, expected: Bool) throws {
        let request = try Self.parse("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: \(header)\r\n\r\n")
        #expect(request.acceptsGzip == expected)
    }

    @Test("no Accept-Encoding means no gzip")
    func noAcceptEncoding() throws {
        #expect(try Self.parse("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").acceptsGzip == false)
    }

    @Test("HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it")
    func keepAlive() throws {
        #expect(try Self.parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n").keepAlive)
        #expect(try !Self.parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n").keepAlive)
        #expect(try !Self.parse("GET / HTTP/1.0\r\n\r\n").keepAlive)
        #expect(try Self.parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive)
    }

    @Test("the path drops the query string and an absolute-form prefix; header names are case-insensitive")
    func pathAndHeaders() throws {
        let request = try Self.parse("GET http://10.0.0.1:9100/metrics?x=1 HTTP/1.1\r\nHOST: a\r\nX-A:  b \r\n\r\n")
        #expect(request.path == "/metrics")
        #expect(request.values(of: "host") == ["a"])
        #expect(request.values(of: "x-a") == ["b"])
    }

    @Test("a head ends at the first blank line, with CRLF or bare LF line ends")
    func headLength() {
        #expect(ScrapeRequest.headLength(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\nrest".utf8)) == 27)
        #expect(ScrapeRequest.headLength(Array("GET / HTTP/1.1\nHost: x\n\nrest".utf8)) == 24)
        #expect(ScrapeRequest.headLength(Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8)) == nil)
    }

    @Test("a request with a body is recognised, so the server closes instead of misreading it")
    func body() throws {
        #expect(try Self.parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n").hasBody)
        #expect(try Self.parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n").hasBody)
        #expect(try !Self.parse("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").hasBody)
    }

    @Test("malformed heads name what is wrong")
    func errors() {
        #expect(throws: ScrapeRequest.ParseError.badRequestLine) { try Self.parse("GET /\r\n\r\n") }
        #expect(throws: ScrapeRequest.ParseError.unsupportedVersion) { try Self.parse("GET / HTTP/2.0\r\n\r\n") }
        #expect(throws: ScrapeRequest.ParseError.badHeader(line: 3)) {
            try Self.parse("GET / HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n")
        }
        #expect(throws: ScrapeRequest.ParseError.badHeader(line: 2)) {
            try Self.parse("GET / HTTP/1.1\r\n Host: folded\r\n\r\n")
        }
        #expect(throws: ScrapeRequest.ParseError.missingHost) { try Self.parse("GET / HTTP/1.1\r\n\r\n") }
    }
}
