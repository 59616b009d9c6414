/// Writes compact JSON into a `ReplayOutputStream`, keys in the order written.
struct JSONWriter {
    let out: ReplayOutputStream
    private var needsComma = [false]

    init(_ out: ReplayOutputStream) {
        self.out = out
    }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { out.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func key(_ name: StaticString?) {
        separate()
        if let name {
            out.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }
    }

    private mutating func key(dynamic name: String) {
        separate()
        JSONWriter.appendString(name, to: out)
        out.append(UInt8(ascii: ":"))
    }

    mutating func openObject(_ name: StaticString? = nil) {
        key(name)
        out.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    mutating func closeObject() {
        needsComma.removeLast()
        out.append(UInt8(ascii: "}"))
        out.flushIfFull()
    }

    mutating func openArray(_ name: StaticString? = nil) {
        key(name)
        out.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    mutating func closeArray() {
        needsComma.removeLast()
        out.append(UInt8(ascii: "]"))
    }

    mutating func string(_ name: StaticString?, _ value: String?) {
        key(name)
        if let value { JSONWriter.appendString(value, to: out) } else { appendNull() }
    }

    mutating func number(_ name: StaticString?, _ value: (some BinaryInteger)?) {
        key(name)
        if let value { JSONWriter.appendDecimal(Int64(value), to: out) } else { appendNull() }
    }

    /// A number under a key known only at run time (a message type, an event kind).
    mutating func number(dynamic name: String, _ value: Int) {
        key(dynamic: name)
        JSONWriter.appendDecimal(Int64(value), to: out)
    }

    /// A non-negative fraction with 4 decimals (`0.4167`).
    mutating func decimal(_ name: StaticString?, _ value: Double) {
        key(name)
        out.append(contentsOf: Array(ReplayFormat.decimal(value).utf8))
    }

    mutating func bool(_ name: StaticString?, _ value: Bool) {
        key(name)
        let text: StaticString = value ? "true" : "false"
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    mutating func numbers(_ name: StaticString?, _ values: [some BinaryInteger]) {
        key(name)
        out.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendDecimal(Int64(value), to: out)
        }
        out.append(UInt8(ascii: "]"))
    }

    mutating func strings(_ name: StaticString?, _ values: [String]) {
        key(name)
        out.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(value, to: out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private func appendNull() {
        let text: StaticString = "null"
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    static func appendDecimal(_ value: Int64, to out: ReplayOutputStream) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(truncatingIfNeeded: 48 + magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer.bindMemory(to: UInt8.self)[(20 - count)...]))
        }
    }

    /// Appends `value` as a JSON string; `<`, `>` and `&` are escaped too, so the text can sit inside HTML.
    static func appendString(_ value: String, to out: ReplayOutputStream) {
        var value = value
        out.append(UInt8(ascii: "\""))
        value.withUTF8 { bytes in
            var start = 0
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                let needsEscape =
                    byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "<")
                    || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
                    || (byte == 0xE2 && i + 2 < bytes.count && bytes[i + 1] == 0x80
                        && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9))
                guard needsEscape else {
                    i += 1
                    continue
                }
                if i > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                let code: UInt32
                switch byte {
                case UInt8(ascii: "\""): code = 0x22
                case UInt8(ascii: "\\"): code = 0x5C
                case 0xE2:
                    code = bytes[i + 2] == 0xA8 ? 0x2028 : 0x2029
                    i += 2
                default: code = UInt32(byte)
                }
                switch code {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [
                        0x5C, UInt8(ascii: "u"), hex[Int(code >> 12 & 0xF)], hex[Int(code >> 8 & 0xF)],
                        hex[Int(code >> 4 & 0xF)], hex[Int(code & 0xF)],
                    ])
                }
                i += 1
                start = i
            }
            if bytes.count > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}
