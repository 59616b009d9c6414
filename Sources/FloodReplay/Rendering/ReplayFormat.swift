import ChunkTrace

/// Text forms of times and lists shared by the renderings.
enum ReplayFormat {
    /// `1.234 ms` from microseconds.
    static func milliseconds(_ micros: Int64) -> String {
        let sign = micros < 0 ? "-" : ""
        let magnitude = micros.magnitude
        let whole = magnitude / 1000
        let fraction = magnitude % 1000
        let digits = String(fraction)
        return "\(sign)\(whole).\(String(repeating: "0", count: 3 - digits.count))\(digits) ms"
    }

    /// `+1.234 ms`.
    static func offset(_ micros: Int64) -> String {
        micros < 0 ? milliseconds(micros) : "+" + milliseconds(micros)
    }

    /// `1,3,4,5,9`.
    static func chunkList(_ chunks: [UInt16]) -> String {
        chunks.map(String.init).joined(separator: ",")
    }

    /// `2026-11-25T16:28:12.123456Z` from microseconds since the Unix epoch.
    static func timestamp(_ micros: Int64) -> String {
        TraceTimestamp.string(micros)
    }

    /// Orders `ip:port` texts by address, then port, numerically; anything else after them, by text.
    static func addressLess(_ a: String, _ b: String) -> Bool {
        switch (addressKey(a), addressKey(b)) {
        case (let x?, let y?): return x != y ? x < y : a < b
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a < b
        }
    }

    private static func addressKey(_ text: String) -> UInt64? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            return nil
        }
        let parts = text[..<colon].split(separator: ".")
        guard parts.count == 4 else { return nil }
        var ip: UInt64 = 0
        for part in parts {
            guard let octet = UInt8(part) else { return nil }
            ip = ip << 8 | UInt64(octet)
        }
        return ip << 16 | UInt64(port)
    }
}
