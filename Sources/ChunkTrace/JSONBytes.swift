/// Byte-level JSON writing primitives that append to a reusable buffer.
enum JSONBytes {
    @inline(__always)
    static func appendLiteral(_ literal: StaticString, to buffer: inout [UInt8]) {
        literal.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    static func appendDecimal(_ value: UInt64, to buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(48 &+ UInt8(truncatingIfNeeded: value))
            return
        }
        if value < 100 {
            buffer.append(48 &+ UInt8(truncatingIfNeeded: value / 10))
            buffer.append(48 &+ UInt8(truncatingIfNeeded: value % 10))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = value
            var index = 20
            while rest > 0 {
                index -= 1
                digits[index] = 48 &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index..<20]))
        }
    }

    static func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
            appendDecimal(UInt64(bitPattern: 0 &- value), to: &buffer)
        } else {
            appendDecimal(UInt64(value), to: &buffer)
        }
    }

    @inline(__always)
    static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        appendDecimal(Int64(value), to: &buffer)
    }

    /// Appends `"…"` with JSON escaping of `"`, `\` and control characters; other UTF-8 bytes go through as they are.
    static func appendString(_ string: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                if runStart < index {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                }
                appendEscaped(byte, to: &buffer)
                index += 1
                runStart = index
            }
            if runStart < count {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ byte: UInt8, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case 0x0A: buffer.append(UInt8(ascii: "n"))
        case 0x0D: buffer.append(UInt8(ascii: "r"))
        case 0x09: buffer.append(UInt8(ascii: "t"))
        case 0x08: buffer.append(UInt8(ascii: "b"))
        case 0x0C: buffer.append(UInt8(ascii: "f"))
        default:
            let hex: StaticString = "0123456789abcdef"
            appendLiteral("u00", to: &buffer)
            hex.withUTF8Buffer { digits in
                buffer.append(digits[Int(byte >> 4)])
                buffer.append(digits[Int(byte & 0xF)])
            }
        }
    }

    static func appendChunkList(_ ids: [UInt16], to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "["))
        var first = true
        for id in ids {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            appendDecimal(UInt64(id), to: &buffer)
        }
        buffer.append(UInt8(ascii: "]"))
    }

    static func appendStringList(_ strings: [String], to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "["))
        var first = true
        for string in strings {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            appendString(string, to: &buffer)
        }
        buffer.append(UInt8(ascii: "]"))
    }
}
