/// Builds compact JSON text, keys in the order written.
struct JSONWriter {
    private(set) var text = ""
    private var needsComma = [false]

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func key(_ name: String?) {
        separate()
        if let name {
            JSONWriter.appendString(name, to: &text)
            text += ":"
        }
    }

    mutating func openObject(_ name: String? = nil) {
        key(name)
        text += "{"
        needsComma.append(false)
    }

    mutating func closeObject() {
        needsComma.removeLast()
        text += "}"
    }

    mutating func openArray(_ name: String? = nil) {
        key(name)
        text += "["
        needsComma.append(false)
    }

    mutating func closeArray() {
        needsComma.removeLast()
        text += "]"
    }

    mutating func string(_ name: String?, _ value: String?) {
        key(name)
        if let value { JSONWriter.appendString(value, to: &text) } else { text += "null" }
    }

    mutating func number(_ name: String?, _ value: (some BinaryInteger)?) {
        key(name)
        text += value.map { "\($0)" } ?? "null"
    }

    mutating func bool(_ name: String?, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    mutating func numbers(_ name: String?, _ values: [some BinaryInteger]) {
        key(name)
        text += "[" + values.map { "\($0)" }.joined(separator: ",") + "]"
    }

    mutating func strings(_ name: String?, _ values: [String]) {
        openArray(name)
        for value in values { string(nil, value) }
        closeArray()
    }

    /// Appends `value` as a JSON string; `<`, `>` and `&` are escaped too, so the text can sit inside HTML.
    static func appendString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "<": text += "\\u003c"
            case ">": text += "\\u003e"
            case "&": text += "\\u0026"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
