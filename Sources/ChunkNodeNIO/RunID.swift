/// Run ids: a new one every start, so traces of two runs of the same node never mix.
package enum RunID {
    /// Twelve random lower-case hex digits.
    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() & 0xFFFF_FFFF_FFFF
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 12 - hex.count) + hex
    }
}
