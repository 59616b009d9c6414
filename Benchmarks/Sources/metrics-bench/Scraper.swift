/// Scrapes `/metrics` over one keep-alive connection, as Prometheus does, and times each scrape.
final class Scraper {
    private let socket = BlockingSocket(udp: false, receiveTimeoutMicroseconds: 5_000_000)
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var pending: [UInt8] = []
    private let request: [UInt8]

    init?(port: Int, gzip: Bool) {
        guard socket.connect(port: port) else { return nil }
        let encoding = gzip ? "Accept-Encoding: gzip\r\n" : ""
        request = Array("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\(encoding)\r\n".utf8)
    }

    /// One scrape; its duration in seconds and the body size, or `nil` if the server did not answer 200.
    func scrape() -> (seconds: Double, bytes: Int)? {
        let start = BlockingSocket.monotonicSeconds()
        guard socket.send(request) else { return nil }
        var headEnd: Int?
        while headEnd == nil {
            headEnd = pending.firstRange(of: [13, 10, 13, 10])?.lowerBound
            if headEnd == nil {
                let count = socket.receive(into: &buffer)
                guard count > 0 else { return nil }
                pending.append(contentsOf: buffer[0..<count])
            }
        }
        guard let end = headEnd else { return nil }
        let head = String(decoding: pending[..<end], as: UTF8.self)
        guard head.hasPrefix("HTTP/1.1 200"),
            let lengthLine = head.split(separator: "\r\n").first(where: {
                $0.lowercased().hasPrefix("content-length:")
            }),
            let length = Int(lengthLine.dropFirst("content-length:".count).trimmingPrefix(" "))
        else { return nil }
        while pending.count < end + 4 + length {
            let count = socket.receive(into: &buffer)
            guard count > 0 else { return nil }
            pending.append(contentsOf: buffer[0..<count])
        }
        pending.removeFirst(end + 4 + length)
        return (BlockingSocket.monotonicSeconds() - start, length)
    }
}
