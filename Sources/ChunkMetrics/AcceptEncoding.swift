/// The `Accept-Encoding` request header, reduced to the one question the endpoint asks.
enum AcceptEncoding {
    /// Whether the header values allow gzip: `gzip`, `x-gzip` or `*` with a non-zero q, the named coding winning
    /// over `*`. No header means no gzip.
    static func allowsGzip(_ values: [String]) -> Bool {
        var gzip: Bool?
        var star: Bool?
        for value in values {
            for item in value.split(separator: ",") {
                let parts = item.split(separator: ";").map { $0.trimmed().lowercased() }
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
}

extension Substring {
    fileprivate func trimmed() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
