/// Writes JSON bytes through a pointer into memory the caller sized beforehand, without `Array.append`'s
/// capacity and uniqueness checks on every byte: the trace's datagram-path encoder.
struct UnsafeLineWriter {
    /// Where the next byte goes.
    private(set) var position: UnsafeMutablePointer<UInt8>

    init(_ start: UnsafeMutablePointer<UInt8>) {
        position = start
    }

    @inline(__always)
    mutating func literal(_ text: StaticString) {
        text.withUTF8Buffer { bytes in
            guard let base = bytes.baseAddress else { return }
            position.update(from: base, count: bytes.count)
            position += bytes.count
        }
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        position.pointee = value
        position += 1
    }

    @inline(__always)
    mutating func bytes(_ values: [UInt8]) {
        values.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            position.update(from: base, count: bytes.count)
            position += bytes.count
        }
    }

    /// At most 20 bytes.
    @inline(__always)
    mutating func decimal(_ value: UInt64) {
        if value < 10 {
            byte(48 &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var digits = 2
        var bound: UInt64 = 100
        while digits < 20 && value >= bound {
            digits += 1
            bound &*= 10
        }
        var rest = value
        var cursor = position + digits
        repeat {
            cursor -= 1
            cursor.pointee = 48 &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        } while rest > 0
        position += digits
    }

    /// At most 20 bytes.
    @inline(__always)
    mutating func decimal(_ value: Int) {
        if value < 0 {
            byte(UInt8(ascii: "-"))
            decimal(UInt64(bitPattern: Int64(0) &- Int64(value)))
        } else {
            decimal(UInt64(value))
        }
    }

    /// `[1,2,3]`: at most 2 + 6 per id bytes.
    mutating func chunkList(_ ids: [UInt16]) {
        byte(UInt8(ascii: "["))
        var first = true
        for id in ids {
            if !first { byte(UInt8(ascii: ",")) }
            first = false
            decimal(UInt64(id))
        }
        byte(UInt8(ascii: "]"))
    }

    /// `"a.b.c.d:port"` with the quotes: at most 23 bytes.
    @inline(__always)
    mutating func address(_ address: TraceAddress) {
        byte(UInt8(ascii: "\""))
        decimal(UInt64(address.ip >> 24))
        byte(UInt8(ascii: "."))
        decimal(UInt64(address.ip >> 16 & 0xFF))
        byte(UInt8(ascii: "."))
        decimal(UInt64(address.ip >> 8 & 0xFF))
        byte(UInt8(ascii: "."))
        decimal(UInt64(address.ip & 0xFF))
        byte(UInt8(ascii: ":"))
        decimal(UInt64(address.port))
        byte(UInt8(ascii: "\""))
    }
}
