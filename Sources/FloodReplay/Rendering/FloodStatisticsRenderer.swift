/// `p2ptrace stats --floods`: one row per flood as CSV, JSON or an aligned text table.
///
/// Columns (CSV header, JSON keys, in this order): `flood`, `session`, `retry_of`, `client`, `contact`, `asked`
/// (chunk ids separated by spaces in CSV, an array in JSON), `peers_reached`, `peers_traced`, `coverage`
/// (reached / traced, 4 decimals), `query_messages`, `duplicates`, `expired`, `lost`, `depth`, `chunk_infos`,
/// `first_chunk_info_us`, `last_chunk_info_us`, `last_chunk_us` (microseconds since the contact peer received the
/// HELLO), `chunks_found`, `chunks_missing`. An absent value is an empty CSV field and a JSON `null`. The JSON
/// document is `{"schema": "p2ptrace-flood-stats/1", "floods": [...], "warnings": [...]}`.
package enum FloodStatisticsRenderer {
    package static let schema = "p2ptrace-flood-stats/1"

    package static let columns = [
        "flood", "session", "retry_of", "client", "contact", "asked", "peers_reached", "peers_traced", "coverage",
        "query_messages", "duplicates", "expired", "lost", "depth", "chunk_infos", "first_chunk_info_us",
        "last_chunk_info_us", "last_chunk_us", "chunks_found", "chunks_missing",
    ]

    /// The cells of `row` in `columns` order; `""` for an absent value.
    static func cells(_ row: FloodStatistics) -> [String] {
        func text(_ value: (some BinaryInteger)?) -> String { value.map { "\($0)" } ?? "" }
        return [
            "\(row.flood)", "\(row.session)", text(row.retryOf), row.client, row.contact,
            row.asked.map(String.init).joined(separator: " "), "\(row.peersReached)", "\(row.peersTraced)",
            ReplayFormat.decimal(row.coverage), "\(row.queryMessages)", "\(row.duplicates)", "\(row.expired)",
            "\(row.lost)", "\(row.depth)", "\(row.chunkInfos)", text(row.firstChunkInfo), text(row.lastChunkInfo),
            text(row.lastChunk), text(row.chunksFound), text(row.chunksMissing),
        ]
    }

    /// A header line, then one line per row (RFC 4180; addresses and numbers never need quoting).
    package static func csv(_ rows: [FloodStatistics]) -> String {
        ([columns] + rows.map(cells)).map { $0.map(quoted).joined(separator: ",") + "\r\n" }.joined()
    }

    /// The rows as one JSON document, with what replay warned about.
    package static func json(_ rows: [FloodStatistics], warnings: [String] = []) -> String {
        let out = ReplayOutputStream()
        var json = JSONWriter(out)
        json.openObject()
        json.string("schema", schema)
        json.openArray("floods")
        for row in rows { write(row, to: &json) }
        json.closeArray()
        json.strings("warnings", warnings)
        json.closeObject()
        return out.text + "\n"
    }

    /// An aligned table for reading in a terminal.
    package static func text(_ rows: [FloodStatistics]) -> String {
        guard !rows.isEmpty else { return "no flood in this trace set (no HELLO received by a traced peer)\n" }
        return TraceStatistics.table([columns] + rows.map { cells($0).map { $0.isEmpty ? "-" : $0 } })
    }

    private static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return cell }
        var quoted = "\""
        for character in cell {
            quoted.append(character)
            if character == "\"" { quoted.append(character) }
        }
        return quoted + "\""
    }

    private static func write(_ row: FloodStatistics, to json: inout JSONWriter) {
        json.openObject()
        json.number("flood", row.flood)
        json.number("session", row.session)
        json.number("retry_of", row.retryOf)
        json.string("client", row.client)
        json.string("contact", row.contact)
        json.numbers("asked", row.asked)
        json.number("peers_reached", row.peersReached)
        json.number("peers_traced", row.peersTraced)
        json.decimal("coverage", row.coverage)
        json.number("query_messages", row.queryMessages)
        json.number("duplicates", row.duplicates)
        json.number("expired", row.expired)
        json.number("lost", row.lost)
        json.number("depth", row.depth)
        json.number("chunk_infos", row.chunkInfos)
        json.number("first_chunk_info_us", row.firstChunkInfo)
        json.number("last_chunk_info_us", row.lastChunkInfo)
        json.number("last_chunk_us", row.lastChunk)
        json.number("chunks_found", row.chunksFound)
        json.number("chunks_missing", row.chunksMissing)
        json.closeObject()
    }
}
