/// Reads fixed-width integers from a byte slice without ever reading past its end: every read returns `nil`
/// on short input.
struct WireReader {
    private let bytes: ArraySlice<UInt8>
    private(set) var offset: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - offset }

    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, remaining >= count else { return false }
        offset += count
        return true
    }

    mutating func uint8() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func uint32(bigEndian: Bool = true) -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { offset += 4 }
        let value = (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[offset + $1]) }
        return bigEndian ? value : value.byteSwapped
    }

    /// The rest of the slice, from the current offset.
    var rest: ArraySlice<UInt8> { bytes[offset...] }
}
