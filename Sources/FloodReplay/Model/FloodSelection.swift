import ChunkTrace

/// Which floods a command shows: all, or one chosen by index, client address or time.
package struct FloodSelection: Sendable, Hashable {
    /// 1-based flood index.
    package var index: Int?
    /// A client `ip:port`, or an IP alone (every port).
    package var client: String?
    /// A contact peer `ip:port`.
    package var contact: String?
    /// Microseconds since the Unix epoch: the flood in progress then (the last to start at or before it), or
    /// the first after it.
    package var time: Int64?

    package init(index: Int? = nil, client: String? = nil, contact: String? = nil, time: Int64? = nil) {
        self.index = index
        self.client = client
        self.contact = contact
        self.time = time
    }

    package var isEmpty: Bool { index == nil && client == nil && contact == nil && time == nil }

    /// The selected floods, in order.
    ///
    /// - Throws: `ReplayError.noFloodSelected` when a selection was given and nothing matches.
    package func apply(to floods: [Flood]) throws(ReplayError) -> [Flood] {
        guard !isEmpty else { return floods }
        var chosen = floods
        if let index { chosen = chosen.filter { $0.index == index } }
        if let client {
            chosen = chosen.filter { $0.client == client || $0.client.hasPrefix(client + ":") }
        }
        if let contact { chosen = chosen.filter { $0.contact == contact || $0.contact.hasPrefix(contact + ":") } }
        if let time {
            let started = chosen.filter { $0.start <= time }
            if let last = started.max(by: { $0.start < $1.start }) {
                chosen = [last]
            } else {
                chosen = chosen.min(by: { $0.start < $1.start }).map { [$0] } ?? []
            }
        }
        guard !chosen.isEmpty else { throw .noFloodSelected(selection: description, available: floods.count) }
        return chosen
    }

    var description: String {
        var parts: [String] = []
        if let index { parts.append("index \(index)") }
        if let client { parts.append("client \(client)") }
        if let contact { parts.append("contact \(contact)") }
        if let time { parts.append("time \(ReplayFormat.timestamp(time))") }
        return parts.joined(separator: ", ")
    }

    /// Parses `--at`: RFC 3339 UTC (`2026-11-25T16:28:12.5Z`), or a UTC time of day (`16:28:12.5`) taken on the
    /// day of `reference` (microseconds since the Unix epoch).
    package static func parseTime(_ text: String, reference: Int64) throws(ReplayError) -> Int64 {
        let trimmed = text.hasSuffix("Z") || text.hasSuffix("z") ? String(text.dropLast()) : text
        var datePart: Substring?
        var timePart = Substring(trimmed)
        if let t = trimmed.firstIndex(where: { $0 == "T" || $0 == "t" || $0 == " " }) {
            datePart = trimmed[..<t]
            timePart = trimmed[trimmed.index(after: t)...]
        }
        let perDay: Int64 = 86_400_000_000
        var day = reference >= 0 ? reference / perDay : (reference - perDay + 1) / perDay
        if let datePart {
            let fields = datePart.split(separator: "-")
            guard fields.count == 3, let y = Int64(fields[0]), let m = Int64(fields[1]), let d = Int64(fields[2]),
                (0...9999).contains(y), (1...12).contains(m), (1...31).contains(d)
            else { throw .badTime(text) }
            day = TraceTimestamp.days(year: y, month: m, day: d)
        }
        let clock = timePart.split(separator: ":")
        guard clock.count == 3 || clock.count == 2, let h = Int64(clock[0]), let m = Int64(clock[1]), h < 24, m < 60
        else { throw .badTime(text) }
        var micros: Int64 = 0
        if clock.count == 3 {
            let secondFields = clock[2].split(separator: ".", omittingEmptySubsequences: false)
            guard let s = Int64(secondFields[0]), s < 61, secondFields.count <= 2 else { throw .badTime(text) }
            micros = s * 1_000_000
            if secondFields.count == 2 {
                let digits = String(secondFields[1].prefix(6))
                guard !digits.isEmpty, let fraction = Int64(digits) else { throw .badTime(text) }
                var scale: Int64 = 1
                for _ in digits.count..<6 { scale *= 10 }
                micros += fraction * scale
            }
        }
        return day * perDay + (h * 3600 + m * 60) * 1_000_000 + micros
    }
}
