/// Writes trace events as JSON lines.
///
/// Keys appear in the order of `TraceEvent`'s stored properties (`v, ts, node, role, run, seq, ev, msg, from, to,
/// bytes, chunks, size, client, ttl, cause, reason, head, neighbors, held, contact, software`); keys whose value is
/// `nil` are left out; `ts` is RFC 3339 UTC with six fractional digits. The encoder appends bytes to a buffer the
/// caller reuses, so encoding allocates nothing once the buffer has grown.
package enum TraceLineEncoder {
    /// Appends `event` as one JSON object followed by `\n`.
    package static func append(_ event: TraceEvent, to buffer: inout [UInt8]) {
        appendHead(event, to: &buffer)
        TraceTimestamp.append(event.timestamp, to: &buffer)
        appendRest(event, to: &buffer)
    }

    /// `append(_:to:)` with the date part of `ts` taken from `timestamps` (the writer's hot path).
    static func append(_ event: TraceEvent, to buffer: inout [UInt8], timestamps: inout TraceTimestampCache) {
        appendHead(event, to: &buffer)
        timestamps.append(event.timestamp, to: &buffer)
        appendRest(event, to: &buffer)
    }

    /// Appends a `send` or `recv` line, byte-identical to `append(message.event(prefix:seq:timestamp:), to:)`.
    package static func append(
        _ message: TraceMessageEvent, prefix: TraceLinePrefix, seq: UInt64, timestamp: Int64,
        to buffer: inout [UInt8]
    ) {
        var timestamps = TraceTimestampCache()
        append(message, prefix: prefix, seq: seq, timestamp: timestamp, to: &buffer, timestamps: &timestamps)
    }

    static func append(
        _ message: TraceMessageEvent, prefix: TraceLinePrefix, seq: UInt64, timestamp: Int64,
        to buffer: inout [UInt8], timestamps: inout TraceTimestampCache
    ) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxLineBytes(message, prefix: prefix)) { space in
            guard let start = space.baseAddress else { return }
            var writer = UnsafeLineWriter(start)
            write(message, prefix: prefix, seq: seq, timestamp: timestamp, to: &writer, timestamps: &timestamps)
            buffer.append(contentsOf: UnsafeBufferPointer(start: start, count: writer.position - start))
        }
    }

    /// The most bytes `write(_:prefix:seq:timestamp:to:timestamps:)` writes for `message`.
    static func maxLineBytes(_ message: TraceMessageEvent, prefix: TraceLinePrefix) -> Int {
        // Keys and punctuation 120, ts 40, six numbers of at most 20 digits and a sign 126, two addresses 46.
        400 + prefix.middle.count + 6 * message.chunks.count
    }

    /// Writes a `send` or `recv` line through a pointer into at least `maxLineBytes` bytes.
    static func write(
        _ message: TraceMessageEvent, prefix: TraceLinePrefix, seq: UInt64, timestamp: Int64,
        to writer: inout UnsafeLineWriter, timestamps: inout TraceTimestampCache
    ) {
        writer.literal("{\"v\":1,\"ts\":\"")
        timestamps.write(timestamp, to: &writer)
        writer.bytes(prefix.middle)
        writer.decimal(seq)
        if message.sent {
            writer.literal(",\"ev\":\"send\",\"msg\":\"")
        } else {
            writer.literal(",\"ev\":\"recv\",\"msg\":\"")
        }
        switch message.message {
        case .hello: writer.literal("hello")
        case .query: writer.literal("query")
        case .chunkInfo: writer.literal("chunk_info")
        case .get: writer.literal("get")
        case .response: writer.literal("response")
        }
        if message.sent {
            writer.literal("\",\"to\":")
        } else {
            writer.literal("\",\"from\":")
        }
        writer.address(message.peer)
        writer.literal(",\"bytes\":")
        writer.decimal(message.bytes)
        writer.literal(",\"chunks\":")
        if let chunk = message.responseChunk {
            writer.byte(UInt8(ascii: "["))
            writer.decimal(UInt64(chunk))
            writer.byte(UInt8(ascii: "]"))
        } else {
            writer.chunkList(message.chunks)
        }
        if let size = message.size {
            writer.literal(",\"size\":")
            writer.decimal(size)
        }
        if let client = message.client {
            writer.literal(",\"client\":")
            writer.address(client)
        }
        if let ttl = message.ttl {
            writer.literal(",\"ttl\":")
            writer.decimal(ttl)
        }
        if let cause = message.cause {
            writer.literal(",\"cause\":")
            writer.decimal(cause)
        }
        writer.literal("}\n")
    }

    @inline(__always)
    private static func appendHead(_ event: TraceEvent, to buffer: inout [UInt8]) {
        JSONBytes.appendLiteral("{\"v\":", to: &buffer)
        JSONBytes.appendDecimal(event.version, to: &buffer)
        JSONBytes.appendLiteral(",\"ts\":\"", to: &buffer)
    }

    /// Everything after `ts`.
    @inline(__always)
    private static func appendRest(_ event: TraceEvent, to buffer: inout [UInt8]) {
        JSONBytes.appendLiteral("\",\"node\":", to: &buffer)
        JSONBytes.appendString(event.node, to: &buffer)
        switch event.role {
        case .peer: JSONBytes.appendLiteral(",\"role\":\"peer\",\"run\":", to: &buffer)
        case .client: JSONBytes.appendLiteral(",\"role\":\"client\",\"run\":", to: &buffer)
        }
        JSONBytes.appendString(event.run, to: &buffer)
        JSONBytes.appendLiteral(",\"seq\":", to: &buffer)
        JSONBytes.appendDecimal(event.seq, to: &buffer)
        JSONBytes.appendLiteral(",\"ev\":\"", to: &buffer)
        appendKind(event.kind, to: &buffer)
        if let message = event.message {
            JSONBytes.appendLiteral("\",\"msg\":\"", to: &buffer)
            appendMessage(message, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\""))
        appendMessageFields(event, to: &buffer)
        appendStartAndDropFields(event, to: &buffer)
        JSONBytes.appendLiteral("}\n", to: &buffer)
    }

    /// The keys of message events: peer, size, chunks, client, ttl, cause.
    @inline(__always)
    private static func appendMessageFields(_ event: TraceEvent, to buffer: inout [UInt8]) {
        if let from = event.from {
            JSONBytes.appendLiteral(",\"from\":", to: &buffer)
            JSONBytes.appendString(from, to: &buffer)
        }
        if let to = event.to {
            JSONBytes.appendLiteral(",\"to\":", to: &buffer)
            JSONBytes.appendString(to, to: &buffer)
        }
        if let bytes = event.bytes {
            JSONBytes.appendLiteral(",\"bytes\":", to: &buffer)
            JSONBytes.appendDecimal(bytes, to: &buffer)
        }
        if let chunks = event.chunks {
            JSONBytes.appendLiteral(",\"chunks\":", to: &buffer)
            JSONBytes.appendChunkList(chunks, to: &buffer)
        }
        if let size = event.size {
            JSONBytes.appendLiteral(",\"size\":", to: &buffer)
            JSONBytes.appendDecimal(size, to: &buffer)
        }
        if let client = event.client {
            JSONBytes.appendLiteral(",\"client\":", to: &buffer)
            JSONBytes.appendString(client, to: &buffer)
        }
        if let ttl = event.ttl {
            JSONBytes.appendLiteral(",\"ttl\":", to: &buffer)
            JSONBytes.appendDecimal(ttl, to: &buffer)
        }
        if let cause = event.cause {
            JSONBytes.appendLiteral(",\"cause\":", to: &buffer)
            JSONBytes.appendDecimal(cause, to: &buffer)
        }
    }

    /// The keys of `drop` and `start` events: reason, head, neighbours, chunks held, contact, software.
    @inline(__always)
    private static func appendStartAndDropFields(_ event: TraceEvent, to buffer: inout [UInt8]) {
        if let reason = event.reason {
            JSONBytes.appendLiteral(",\"reason\":", to: &buffer)
            JSONBytes.appendString(reason, to: &buffer)
        }
        if let head = event.head {
            JSONBytes.appendLiteral(",\"head\":", to: &buffer)
            JSONBytes.appendString(head, to: &buffer)
        }
        if let neighbors = event.neighbors {
            JSONBytes.appendLiteral(",\"neighbors\":", to: &buffer)
            JSONBytes.appendStringList(neighbors, to: &buffer)
        }
        if let held = event.held {
            JSONBytes.appendLiteral(",\"held\":", to: &buffer)
            JSONBytes.appendChunkList(held, to: &buffer)
        }
        if let contact = event.contact {
            JSONBytes.appendLiteral(",\"contact\":", to: &buffer)
            JSONBytes.appendString(contact, to: &buffer)
        }
        if let software = event.software {
            JSONBytes.appendLiteral(",\"software\":", to: &buffer)
            JSONBytes.appendString(software, to: &buffer)
        }
    }

    /// The JSON line of `event`, without the final `\n`. Convenient off the hot path; `append(_:to:)` is faster.
    package static func line(_ event: TraceEvent) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        append(event, to: &buffer)
        buffer.removeLast()
        return String(decoding: buffer, as: UTF8.self)
    }

    @inline(__always)
    private static func appendKind(_ kind: TraceEventKind, to buffer: inout [UInt8]) {
        switch kind {
        case .send: JSONBytes.appendLiteral("send", to: &buffer)
        case .recv: JSONBytes.appendLiteral("recv", to: &buffer)
        case .drop: JSONBytes.appendLiteral("drop", to: &buffer)
        case .start: JSONBytes.appendLiteral("start", to: &buffer)
        case .stop: JSONBytes.appendLiteral("stop", to: &buffer)
        case .saved: JSONBytes.appendLiteral("saved", to: &buffer)
        case .missing: JSONBytes.appendLiteral("missing", to: &buffer)
        case .timeout: JSONBytes.appendLiteral("timeout", to: &buffer)
        case .done: JSONBytes.appendLiteral("done", to: &buffer)
        case .retry: JSONBytes.appendLiteral("retry", to: &buffer)
        }
    }

    @inline(__always)
    private static func appendMessage(_ message: TraceMessageType, to buffer: inout [UInt8]) {
        switch message {
        case .hello: JSONBytes.appendLiteral("hello", to: &buffer)
        case .query: JSONBytes.appendLiteral("query", to: &buffer)
        case .chunkInfo: JSONBytes.appendLiteral("chunk_info", to: &buffer)
        case .get: JSONBytes.appendLiteral("get", to: &buffer)
        case .response: JSONBytes.appendLiteral("response", to: &buffer)
        }
    }
}
