/// Reads the parts of an RFC 3339 timestamp from left to right (`TraceTimestamp.parse`); each read returns
/// `nil` (or `false`) when the text does not have that part there.
struct RFC3339Scanner {
    let text: UnsafeBufferPointer<UInt8>
    private(set) var index = 0

    init(text: UnsafeBufferPointer<UInt8>) {
        self.text = text
    }

    var atEnd: Bool { index == text.count }

    /// Exactly `count` decimal digits.
    @inline(__always)
    mutating func digits(_ count: Int) -> Int64? {
        guard index + count <= text.count else { return nil }
        var value: Int64 = 0
        for _ in 0..<count {
            let d = text[index] &- 48
            guard d < 10 else { return nil }
            value = value * 10 + Int64(d)
            index += 1
        }
        return value
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) -> Bool {
        guard index < text.count, text[index] == byte else { return false }
        index += 1
        return true
    }

    /// A year of exactly four digits: the encoder writes no other form that the parser could read back (a signed or
    /// five-digit year decoded, and was written back as `-922-…`, which did not).
    @inline(__always)
    mutating func year() -> Int64? {
        digits(4)
    }

    /// `T`, `t` or a space between date and time.
    @inline(__always)
    mutating func dateTimeSeparator() -> Bool {
        guard index < text.count,
            text[index] == UInt8(ascii: "T") || text[index] == UInt8(ascii: "t") || text[index] == UInt8(ascii: " ")
        else { return false }
        index += 1
        return true
    }

    /// The optional fraction of a second, in microseconds (digits beyond the sixth truncated); 0 without one.
    @inline(__always)
    mutating func microseconds() -> Int64? {
        guard expect(UInt8(ascii: ".")) else { return 0 }
        var fraction: Int64 = 0
        var count = 0
        while index < text.count, text[index] &- 48 < 10 {
            if count < 6 { fraction = fraction * 10 + Int64(text[index] &- 48) }
            count += 1
            index += 1
        }
        guard count > 0 else { return nil }
        while count < 6 {
            fraction *= 10
            count += 1
        }
        return fraction
    }

    /// `Z`/`z` (0) or `±hh:mm`, in seconds east of UTC.
    @inline(__always)
    mutating func zoneOffset() -> Int64? {
        guard index < text.count else { return nil }
        switch text[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
            return 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = text[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = digits(2), expect(UInt8(ascii: ":")), let minutes = digits(2), hours < 24, minutes < 60
            else { return nil }
            return sign * (hours * 3600 + minutes * 60)
        default:
            return nil
        }
    }
}
