import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An HTTP/1.1 response of the metrics endpoint.
struct ScrapeResponse: Sendable {
    var status: Int
    var reason: String
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// False for a HEAD request: the headers describe the body, which is not sent.
    var sendsBody = true
    /// Adds `Connection: close`; the connection ends after this response.
    var closesConnection = false

    /// The media type Prometheus expects for text format 0.0.4.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    static func text(_ status: Int, _ reason: String, _ message: String) -> ScrapeResponse {
        ScrapeResponse(
            status: status, reason: reason, headers: [("Content-Type", "text/plain; charset=utf-8")],
            body: Array((message + "\n").utf8))
    }

    /// The status line, headers and (unless HEAD) body, ready to write.
    func encoded(allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 256 + (sendsBody ? body.count : 0))
        buffer.writeString("HTTP/1.1 \(status) \(reason)\r\n")
        buffer.writeString("Date: \(Self.httpDate())\r\n")
        for (name, value) in headers {
            buffer.writeString("\(name): \(value)\r\n")
        }
        buffer.writeString("Content-Length: \(body.count)\r\n")
        if closesConnection { buffer.writeString("Connection: close\r\n") }
        buffer.writeString("\r\n")
        if sendsBody { buffer.writeBytes(body) }
        return buffer
    }

    /// The current time as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let day = days[Int(parts.tm_wday) % 7]
        let month = months[Int(parts.tm_mon) % 12]
        return "\(day), \(two(parts.tm_mday)) \(month) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
