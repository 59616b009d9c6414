/// A parsed HTTP/1.x request head, reduced to what the metrics endpoint needs.
struct ScrapeRequest: Sendable, Hashable {
    var method: String
    /// The path without query string or fragment.
    var path: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    var minorVersion: Int
    /// Header names lower-cased, in arrival order.
    var headers: [(name: String, value: String)]

    static func == (lhs: ScrapeRequest, rhs: ScrapeRequest) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.minorVersion == rhs.minorVersion
            && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(path)
    }

    /// Why a request head is refused with 400.
    enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        case badRequestLine
        case unsupportedVersion
        case badHeader(line: Int)
        case missingHost

        var description: String {
            switch self {
            case .badRequestLine: "the request line is not 'METHOD target HTTP/1.x'"
            case .unsupportedVersion: "only HTTP/1.0 and HTTP/1.1 are served"
            case .badHeader(let line): "header line \(line) is not 'name: value'"
            case .missingHost: "an HTTP/1.1 request needs a Host header"
            }
        }
    }

    /// Values of the header `name` (lower case).
    func values(of name: String) -> [String] {
        headers.filter { $0.name == name }.map(\.value)
    }

    /// Whether the client wants the connection kept open after the response.
    var keepAlive: Bool {
        let tokens = values(of: "connection").flatMap { $0.lowercased().split(separator: ",") }
            .map { $0.trimmingCharacters(in: " \t") }
        if tokens.contains("close") { return false }
        return minorVersion >= 1 || tokens.contains("keep-alive")
    }

    /// Whether a body follows the head (the endpoint never reads one; it closes the connection instead).
    var hasBody: Bool {
        if !values(of: "transfer-encoding").isEmpty { return true }
        return values(of: "content-length").contains { $0.trimmingCharacters(in: " \t") != "0" }
    }

    /// Whether `Accept-Encoding` allows gzip (`gzip`, `x-gzip` or `*` with a non-zero q).
    var acceptsGzip: Bool {
        var gzip: Bool?
        var star: Bool?
        for value in values(of: "accept-encoding") {
            for item in value.split(separator: ",") {
                let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: " \t").lowercased() }
                guard let coding = parts.first, !coding.isEmpty else { continue }
                var quality = 1.0
                for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                    quality = Double(parameter.dropFirst(2)) ?? 0
                }
                switch coding {
                case "gzip", "x-gzip": gzip = quality > 0
                case "*": star = quality > 0
                default: break
                }
            }
        }
        return gzip ?? star ?? false
    }

    // MARK: Parsing

    /// Bytes of CR and LF before a request line, which a server should skip.
    static func leadingBlankBytes(_ bytes: some Collection<UInt8>) -> Int {
        bytes.prefix { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }.count
    }

    /// The length of the head (through its blank line) at the start of `bytes`, or `nil` while it is incomplete.
    static func headLength(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while let newline = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) {
            let next = newline + 1
            if next < bytes.count, bytes[next] == UInt8(ascii: "\n") { return next + 1 }
            if next + 1 < bytes.count, bytes[next] == UInt8(ascii: "\r"), bytes[next + 1] == UInt8(ascii: "\n") {
                return next + 2
            }
            index = next
        }
        return nil
    }

    /// Checks a complete first line early, so garbage is refused without waiting for a head that never ends.
    /// Returns `nil` while the line is incomplete and could still be valid; bytes no request line holds (controls,
    /// non-ASCII, such as a TLS handshake) make it invalid at once.
    static func firstLineIsValid(_ bytes: [UInt8]) -> Bool? {
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
            let printable = bytes.enumerated().allSatisfy { offset, byte in
                (0x20...0x7E).contains(byte) || (byte == UInt8(ascii: "\r") && offset == bytes.count - 1)
            }
            return printable ? nil : false
        }
        return (try? parseRequestLine(line(bytes[..<newline]))) != nil
    }

    /// Parses a complete head (request line, header lines, blank line).
    static func parse(_ head: [UInt8]) throws(ParseError) -> ScrapeRequest {
        let lines = head.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(line)
        guard let first = lines.first else { throw .badRequestLine }
        var request = try parseRequestLine(first)
        for (offset, text) in lines.dropFirst().enumerated() where !text.isEmpty {
            guard let colon = text.firstIndex(of: ":") else { throw .badHeader(line: offset + 2) }
            let name = text[..<colon]
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(isTokenCharacter) else {
                throw .badHeader(line: offset + 2)
            }
            let value = text[text.index(after: colon)...].trimmingCharacters(in: " \t")
            request.headers.append((name.lowercased(), value))
        }
        if request.minorVersion >= 1, request.values(of: "host").isEmpty { throw .missingHost }
        return request
    }

    private static func line(_ bytes: ArraySlice<UInt8>) -> String {
        let trimmed = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes
        return String(decoding: trimmed, as: UTF8.self)
    }

    private static func parseRequestLine(_ line: String) throws(ParseError) -> ScrapeRequest {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .badRequestLine }
        let method = parts[0]
        var target = parts[1]
        let version = parts[2]
        guard !method.isEmpty, method.unicodeScalars.allSatisfy(isTokenCharacter) else { throw .badRequestLine }
        guard !target.isEmpty, target.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw .badRequestLine
        }
        guard version.hasPrefix("HTTP/"), version.count == 8, version.dropFirst(6).first == "." else {
            throw .badRequestLine
        }
        guard version.hasPrefix("HTTP/1."), let minor = Int(version.dropFirst(7)) else { throw .unsupportedVersion }
        for scheme in ["http://", "https://"] where target.hasPrefix(scheme) {
            let afterScheme = target.dropFirst(scheme.count)
            target = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        }
        if let end = target.firstIndex(where: { $0 == "?" || $0 == "#" }) { target = target[..<end] }
        return ScrapeRequest(method: String(method), path: String(target), minorVersion: minor, headers: [])
    }

    private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        case "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~": true
        default: false
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in blanks: String) -> String {
        var text = Substring(self)
        while let first = text.first, blanks.contains(first) { text.removeFirst() }
        while let last = text.last, blanks.contains(last) { text.removeLast() }
        return String(text)
    }
}
