/// The RFC 3339 text of one second (`2026-11-25T17:00:54.`), reused while consecutive events fall in that second, so
/// a busy writer formats the date once per second instead of once per event.
struct TraceTimestampCache {
    private var second: Int64 = .min
    private var prefix: [UInt8] = []

    /// Writes the same text as `TraceTimestamp.append(_:to:)`: at most `maxBytes`.
    mutating func write(_ micros: Int64, to writer: inout UnsafeLineWriter) {
        var second = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            second -= 1
        }
        if second != self.second {
            prefix.removeAll(keepingCapacity: true)
            TraceTimestamp.append(second * 1_000_000, to: &prefix)
            prefix.removeLast(7)
            self.second = second
        }
        writer.bytes(prefix)
        let digits = UInt32(truncatingIfNeeded: fraction)
        writer.byte(48 &+ UInt8(truncatingIfNeeded: digits / 100_000))
        writer.byte(48 &+ UInt8(truncatingIfNeeded: digits / 10_000 % 10))
        writer.byte(48 &+ UInt8(truncatingIfNeeded: digits / 1000 % 10))
        writer.byte(48 &+ UInt8(truncatingIfNeeded: digits / 100 % 10))
        writer.byte(48 &+ UInt8(truncatingIfNeeded: digits / 10 % 10))
        writer.byte(48 &+ UInt8(truncatingIfNeeded: digits % 10))
        writer.byte(UInt8(ascii: "Z"))
    }

    /// The most bytes `write` adds: 27 for years 0 … 9999, a few more for the years of extreme timestamps.
    static let maxBytes = 40

    /// Appends the same text as `TraceTimestamp.append(_:to:)`.
    mutating func append(_ micros: Int64, to buffer: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maxBytes) { space in
            guard let start = space.baseAddress else { return }
            var writer = UnsafeLineWriter(start)
            write(micros, to: &writer)
            buffer.append(contentsOf: UnsafeBufferPointer(start: start, count: writer.position - start))
        }
    }
}
