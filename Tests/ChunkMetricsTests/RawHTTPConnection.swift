#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A blocking TCP connection on loopback for driving the endpoint byte by byte in tests.
final class RawHTTPConnection {
    struct Reply {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    enum Failure: Error, CustomStringConvertible {
        case socket(String)
        case closedEarly(received: Int)
        case badReply(String)

        var description: String {
            switch self {
            case .socket(let what): "socket: \(what) (errno \(errno))"
            case .closedEarly(let received): "connection closed after \(received) bytes of the reply"
            case .badReply(let what): "bad reply: \(what)"
            }
        }
    }

    private let fd: Int32
    private var received: [UInt8] = []

    /// Connects to `host:port`, from `source` when given (another loopback address, say); reads give up after
    /// `timeoutSeconds` without data. `receiveBuffer` shrinks the kernel's receive buffer, to make the server feel a
    /// slow reader sooner.
    init(
        host: String = "127.0.0.1", port: Int, from source: String? = nil, timeoutSeconds: Int = 10,
        receiveBuffer: Int32? = nil
    ) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.socket("socket") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        if let source {
            var local = Self.address(source, port: 0)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else {
                close(fd)
                throw Failure.socket("bind \(source)")
            }
        }
        var address = Self.address(host, port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            throw Failure.socket("connect")
        }
    }

    private static func address(_ ip: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, ip, &address.sin_addr)
        return address
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw Failure.socket("send") }
            offset += sent
        }
    }

    /// Reads more bytes; false on end of stream, error or timeout.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        received.append(contentsOf: chunk[0..<count])
        return true
    }

    /// Reads one response; `head` says the request was HEAD (no body follows the headers).
    func readReply(head: Bool = false) throws -> Reply {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = find([13, 10, 13, 10])
            if headEnd == nil, !fill() { throw Failure.closedEarly(received: received.count) }
        }
        guard let end = headEnd else { throw Failure.badReply("no head") }
        let lines = String(decoding: received[..<end], as: UTF8.self).components("\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.1 "),
            let status = Int(statusLine.dropFirst(9).prefix(3))
        else { throw Failure.badReply(lines.first ?? "") }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw Failure.badReply(line) }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " })))
        }
        var reply = Reply(status: status, headers: headers, body: [])
        let length = head ? 0 : Int(reply.header("Content-Length") ?? "0") ?? 0
        while received.count < end + 4 + length {
            if !fill() { throw Failure.closedEarly(received: received.count) }
        }
        reply.body = Array(received[(end + 4)..<(end + 4 + length)])
        received.removeFirst(end + 4 + length)
        return reply
    }

    /// Waits until the server closes the connection; false if it is still open after the read timeout.
    func waitForClose() -> Bool {
        while true {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard received.count >= pattern.count else { return nil }
        for start in 0...(received.count - pattern.count)
        where received[start..<(start + pattern.count)].elementsEqual(pattern) {
            return start
        }
        return nil
    }
}

extension String {
    fileprivate func components(_ separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
