/// Puts Prometheus text in a fixed order.
///
/// `PrometheusCollectorRegistry.emit(into:)` walks Swift dictionaries, so the order of families, and of the series
/// inside a labelled family, changes from one process to the next. This sorts families by name and the series of
/// a family by their label values (ignoring `le`), keeping the lines of one histogram series (buckets, `_sum`,
/// `_count`) in the order the registry wrote them.
enum ExpositionOrdering {
    private struct Family {
        var name: ArraySlice<UInt8>
        var header: [ArraySlice<UInt8>] = []
        var samples: [(key: [UInt8], index: Int, line: ArraySlice<UInt8>)] = []
    }

    /// Returns `text` with families and series in a stable order; every line ends with a line feed.
    static func ordered(_ text: [UInt8]) -> [UInt8] {
        var families: [Family] = []
        var familyIndex: [ArraySlice<UInt8>: Int] = [:]
        var current: Int?

        func family(named name: ArraySlice<UInt8>) -> Int {
            if let index = familyIndex[name] { return index }
            families.append(Family(name: name))
            familyIndex[name] = families.count - 1
            return families.count - 1
        }

        for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            if line.first == UInt8(ascii: "#") {
                let words = line.split(separator: UInt8(ascii: " "), maxSplits: 3, omittingEmptySubsequences: true)
                guard words.count >= 3 else { continue }
                let index = family(named: words[2])
                families[index].header.append(line)
                current = index
            } else {
                let name = line.prefix { $0 != UInt8(ascii: "{") && $0 != UInt8(ascii: " ") }
                let index = current ?? family(named: name)
                let sample = (key: seriesKey(line), index: families[index].samples.count, line: line)
                families[index].samples.append(sample)
            }
        }

        families.sort { $0.name.lexicographicallyPrecedes($1.name) }
        var output: [UInt8] = []
        output.reserveCapacity(text.count + 1)
        for var family in families {
            family.samples.sort { lhs, rhs in
                lhs.key == rhs.key ? lhs.index < rhs.index : lhs.key.lexicographicallyPrecedes(rhs.key)
            }
            for line in family.header {
                output.append(contentsOf: line)
                output.append(UInt8(ascii: "\n"))
            }
            for sample in family.samples {
                output.append(contentsOf: sample.line)
                output.append(UInt8(ascii: "\n"))
            }
        }
        return output
    }

    /// The label pairs of a sample line without `le`, as written: what identifies its series in a family.
    static func seriesKey(_ line: ArraySlice<UInt8>) -> [UInt8] {
        guard let open = line.firstIndex(of: UInt8(ascii: "{")) else { return [] }
        var key: [UInt8] = []
        var pairStart = line.index(after: open)
        var index = pairStart
        var inQuotes = false
        var escaped = false
        while index < line.endIndex {
            let byte = line[index]
            if inQuotes {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inQuotes = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inQuotes = true
            } else if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") {
                let pair = line[pairStart..<index]
                if !pair.starts(with: "le=".utf8) && !pair.isEmpty {
                    if !key.isEmpty { key.append(UInt8(ascii: ",")) }
                    key.append(contentsOf: pair)
                }
                pairStart = line.index(after: index)
                if byte == UInt8(ascii: "}") { break }
            }
            index = line.index(after: index)
        }
        return key
    }
}
