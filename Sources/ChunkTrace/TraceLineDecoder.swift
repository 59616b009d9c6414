#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one JSON trace line back into a `TraceEvent`.
///
/// A hand-written parser over bytes: it makes no `String` of the line, and reuses the last `String` of each field
/// when the next line repeats it (node, run, addresses), so decoding a long trace allocates little. Unknown keys are
/// skipped (newer writers may add some); `null` counts as absent; a damaged line throws a `TraceError` that says what
/// is wrong and where. Keep one decoder per thread.
package struct TraceLineDecoder {
    private static let smallStringLimit = 15
    private var cachedBytes: [[UInt8]] = Array(repeating: [], count: StringSlot.allCases.count)
    private var cachedStrings: [String] = Array(repeating: "", count: StringSlot.allCases.count)
    private var escapeScratch: [UInt8] = []

    package init() {}

    /// Decodes one line (without or with its final `\n`, `\r\n`).
    package mutating func decode(_ line: UnsafeRawBufferPointer) throws(TraceError) -> TraceEvent {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw .notAnObject }
        var cursor = Cursor(base: base, end: line.count)
        return try decodeObject(&cursor)
    }

    /// Decodes one line given as bytes.
    package mutating func decode(_ line: [UInt8]) throws(TraceError) -> TraceEvent {
        let result: Result<TraceEvent, TraceError> = line.withUnsafeBytes { bytes in
            do throws(TraceError) { return .success(try decode(bytes)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Decodes one line given as text.
    package mutating func decode(_ line: String) throws(TraceError) -> TraceEvent {
        try decode(Array(line.utf8))
    }

    // MARK: - Object

    private enum Key {
        case v, ts, node, role, run, seq, ev, msg, from, to, bytes, chunks, size, client, ttl, cause, reason, head
        case neighbors, held, contact, software, unknown
    }

    private enum StringSlot: Int, CaseIterable {
        case node, run, from, to, client, reason, head, contact, software, list
    }

    private struct Cursor {
        let base: UnsafePointer<UInt8>
        let end: Int
        var index = 0

        @inline(__always) var atEnd: Bool { index >= end }
        @inline(__always) var current: UInt8 { base[index] }

        @inline(__always)
        mutating func skipSpace() {
            while index < end {
                let byte = base[index]
                guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
                index += 1
            }
        }

        @inline(__always)
        mutating func peek() throws(TraceError) -> UInt8 {
            skipSpace()
            guard index < end else { throw .unexpectedEnd(offset: index) }
            return base[index]
        }

        @inline(__always)
        mutating func expect(_ byte: UInt8, _ what: String) throws(TraceError) {
            let found = try peek()
            guard found == byte else { throw .unexpectedByte(found, offset: index, expected: what) }
            index += 1
        }

        @inline(__always)
        func matches(_ start: Int, _ count: Int, _ literal: StaticString) -> Bool {
            guard literal.utf8CodeUnitCount == count else { return false }
            let expected = literal.utf8Start
            for offset in 0..<count where base[start + offset] != expected[offset] { return false }
            return true
        }
    }

    private mutating func decodeObject(_ cursor: inout Cursor) throws(TraceError) -> TraceEvent {
        cursor.skipSpace()
        guard !cursor.atEnd, cursor.current == UInt8(ascii: "{") else { throw .notAnObject }
        cursor.index += 1
        var required = RequiredKeys()
        var event = TraceEvent(timestamp: 0, node: "", role: .peer, run: "", seq: 0, kind: .start)
        if try cursor.peek() == UInt8(ascii: "}") {
            cursor.index += 1
        } else {
            while true {
                let key = try readKey(&cursor)
                try cursor.expect(UInt8(ascii: ":"), "':'")
                if try cursor.peek() == UInt8(ascii: "n") {
                    try readNull(&cursor)
                    clear(key, in: &event)
                } else {
                    try readValue(of: key, &cursor, into: &event, required: &required)
                }
                let next = try cursor.peek()
                cursor.index += 1
                if next == UInt8(ascii: "}") { break }
                guard next == UInt8(ascii: ",") else {
                    throw .unexpectedByte(next, offset: cursor.index - 1, expected: "',' or '}'")
                }
            }
        }
        cursor.skipSpace()
        guard cursor.atEnd else { throw .trailingBytes(offset: cursor.index) }
        try required.complete(&event)
        return event
    }

    /// The keys every line has, as read so far.
    private struct RequiredKeys {
        var version: Int?
        var timestamp: Int64?
        var node: String?
        var role: TraceRole?
        var run: String?
        var seq: UInt64?
        var kind: TraceEventKind?

        /// Puts the required keys into `event`, or names the first one missing.
        func complete(_ event: inout TraceEvent) throws(TraceError) {
            guard let version else { throw .missingKey("v") }
            guard let timestamp else { throw .missingKey("ts") }
            guard let node else { throw .missingKey("node") }
            guard let role else { throw .missingKey("role") }
            guard let run else { throw .missingKey("run") }
            guard let seq else { throw .missingKey("seq") }
            guard let kind else { throw .missingKey("ev") }
            event.version = version
            event.timestamp = timestamp
            event.node = node
            event.role = role
            event.run = run
            event.seq = seq
            event.kind = kind
        }
    }

    /// Reads the (non-null) value of `key` into `event`, or into `required` for the keys every line has.
    @inline(__always)
    private mutating func readValue(
        of key: Key, _ cursor: inout Cursor, into event: inout TraceEvent, required: inout RequiredKeys
    ) throws(TraceError) {
        switch key {
        case .v: required.version = try readInt(&cursor, key: "v")
        case .ts: required.timestamp = try readTimestamp(&cursor)
        case .node: required.node = try readString(&cursor, slot: .node, key: "node")
        case .role: required.role = try readEnum(&cursor, key: "role", Self.roles)
        case .run: required.run = try readString(&cursor, slot: .run, key: "run")
        case .seq: required.seq = try readUInt(&cursor, key: "seq")
        case .ev: required.kind = try readEnum(&cursor, key: "ev", Self.kinds)
        case .msg: event.message = try readEnum(&cursor, key: "msg", Self.messages)
        case .from: event.from = try readString(&cursor, slot: .from, key: "from")
        case .to: event.to = try readString(&cursor, slot: .to, key: "to")
        case .bytes: event.bytes = try readInt(&cursor, key: "bytes")
        case .chunks: event.chunks = try readChunkList(&cursor, key: "chunks")
        case .size: event.size = try readInt(&cursor, key: "size")
        case .client: event.client = try readString(&cursor, slot: .client, key: "client")
        case .ttl: event.ttl = try readInt(&cursor, key: "ttl")
        case .cause: event.cause = try readUInt(&cursor, key: "cause")
        case .reason: event.reason = try readString(&cursor, slot: .reason, key: "reason")
        case .head: event.head = try readString(&cursor, slot: .head, key: "head")
        case .neighbors: event.neighbors = try readStringList(&cursor, key: "neighbors")
        case .held: event.held = try readChunkList(&cursor, key: "held")
        case .contact: event.contact = try readString(&cursor, slot: .contact, key: "contact")
        case .software: event.software = try readString(&cursor, slot: .software, key: "software")
        case .unknown: try skipValue(&cursor, depth: 0)
        }
    }

    private func clear(_ key: Key, in event: inout TraceEvent) {
        switch key {
        case .msg: event.message = nil
        case .from: event.from = nil
        case .to: event.to = nil
        case .bytes: event.bytes = nil
        case .chunks: event.chunks = nil
        case .size: event.size = nil
        case .client: event.client = nil
        case .ttl: event.ttl = nil
        case .cause: event.cause = nil
        case .reason: event.reason = nil
        case .head: event.head = nil
        case .neighbors: event.neighbors = nil
        case .held: event.held = nil
        case .contact: event.contact = nil
        case .software: event.software = nil
        case .v, .ts, .node, .role, .run, .seq, .ev, .unknown: break
        }
    }

    // MARK: - Keys

    private mutating func readKey(_ cursor: inout Cursor) throws(TraceError) -> Key {
        try cursor.expect(UInt8(ascii: "\""), "a key")
        let start = cursor.index
        while cursor.index < cursor.end {
            let byte = cursor.base[cursor.index]
            if byte == UInt8(ascii: "\"") {
                let count = cursor.index - start
                cursor.index += 1
                return Self.key(cursor, start: start, count: count)
            }
            if byte == UInt8(ascii: "\\") {
                cursor.index = start - 1
                let name = try readString(&cursor, slot: .list, key: "key")
                var bytes = Array(name.utf8)
                return bytes.withUnsafeMutableBufferPointer { buffer in
                    guard let base = buffer.baseAddress else { return .unknown }
                    return Self.key(Cursor(base: base, end: buffer.count), start: 0, count: buffer.count)
                }
            }
            if byte < 0x20 { throw .unexpectedByte(byte, offset: cursor.index, expected: "a key") }
            cursor.index += 1
        }
        throw .unexpectedEnd(offset: cursor.index)
    }

    private static func key(_ cursor: Cursor, start: Int, count: Int) -> Key {
        guard count > 0 else { return .unknown }
        let first = cursor.base[start]
        let candidate: (Key, StaticString)
        switch (count, first) {
        case (1, UInt8(ascii: "v")): return .v
        case (2, UInt8(ascii: "t")):
            candidate = cursor.base[start + 1] == UInt8(ascii: "s") ? (.ts, "ts") : (.to, "to")
        case (2, UInt8(ascii: "e")): candidate = (.ev, "ev")
        case (3, UInt8(ascii: "r")): candidate = (.run, "run")
        case (3, UInt8(ascii: "s")): candidate = (.seq, "seq")
        case (3, UInt8(ascii: "m")): candidate = (.msg, "msg")
        case (3, UInt8(ascii: "t")): candidate = (.ttl, "ttl")
        case (4, UInt8(ascii: "n")): candidate = (.node, "node")
        case (4, UInt8(ascii: "r")): candidate = (.role, "role")
        case (4, UInt8(ascii: "f")): candidate = (.from, "from")
        case (4, UInt8(ascii: "s")): candidate = (.size, "size")
        case (4, UInt8(ascii: "h")):
            candidate = cursor.base[start + 2] == UInt8(ascii: "a") ? (.head, "head") : (.held, "held")
        case (5, UInt8(ascii: "b")): candidate = (.bytes, "bytes")
        case (5, UInt8(ascii: "c")): candidate = (.cause, "cause")
        case (6, UInt8(ascii: "c")):
            candidate = cursor.base[start + 1] == UInt8(ascii: "h") ? (.chunks, "chunks") : (.client, "client")
        case (6, UInt8(ascii: "r")): candidate = (.reason, "reason")
        case (7, UInt8(ascii: "c")): candidate = (.contact, "contact")
        case (8, UInt8(ascii: "s")): candidate = (.software, "software")
        case (9, UInt8(ascii: "n")): candidate = (.neighbors, "neighbors")
        default: return .unknown
        }
        return cursor.matches(start, count, candidate.1) ? candidate.0 : .unknown
    }

    // MARK: - Values

    private func readNull(_ cursor: inout Cursor) throws(TraceError) {
        try readLiteral(&cursor, "null")
    }

    private func readLiteral(_ cursor: inout Cursor, _ literal: StaticString) throws(TraceError) {
        let count = literal.utf8CodeUnitCount
        guard cursor.index + count <= cursor.end else { throw .unexpectedEnd(offset: cursor.end) }
        guard cursor.matches(cursor.index, count, literal) else {
            throw .unexpectedByte(cursor.current, offset: cursor.index, expected: "a JSON value")
        }
        cursor.index += count
    }

    private func readUInt(_ cursor: inout Cursor, key: String) throws(TraceError) -> UInt64 {
        _ = try cursor.peek()
        let start = cursor.index
        var value: UInt64 = 0
        while cursor.index < cursor.end {
            let digit = cursor.base[cursor.index] &- 48
            guard digit < 10 else { break }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { throw .invalidValue(key: key, expected: "an integer in range") }
            value = sum
            cursor.index += 1
        }
        guard cursor.index > start else { throw .invalidValue(key: key, expected: "a non-negative integer") }
        if cursor.index < cursor.end {
            let next = cursor.base[cursor.index]
            if next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
                throw .invalidValue(key: key, expected: "an integer")
            }
        }
        return value
    }

    private func readInt64(_ cursor: inout Cursor, key: String) throws(TraceError) -> Int64 {
        var negative = false
        if try cursor.peek() == UInt8(ascii: "-") {
            negative = true
            cursor.index += 1
        }
        let magnitude = try readUInt(&cursor, key: key)
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else {
                throw .invalidValue(key: key, expected: "an integer in range")
            }
            return Int64(truncatingIfNeeded: 0 &- magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw .invalidValue(key: key, expected: "an integer in range") }
        return Int64(magnitude)
    }

    private func readInt(_ cursor: inout Cursor, key: String) throws(TraceError) -> Int {
        let value = try readInt64(&cursor, key: key)
        guard let result = Int(exactly: value) else { throw .invalidValue(key: key, expected: "an integer in range") }
        return result
    }

    private func readTimestamp(_ cursor: inout Cursor) throws(TraceError) -> Int64 {
        let found = try cursor.peek()
        guard found == UInt8(ascii: "\"") else { throw .invalidValue(key: "ts", expected: "an RFC 3339 string") }
        cursor.index += 1
        let start = cursor.index
        while cursor.index < cursor.end, cursor.base[cursor.index] != UInt8(ascii: "\"") { cursor.index += 1 }
        guard cursor.index < cursor.end else { throw .unexpectedEnd(offset: cursor.index) }
        let text = UnsafeBufferPointer(start: cursor.base + start, count: cursor.index - start)
        cursor.index += 1
        guard let micros = TraceTimestamp.parse(text) else {
            throw .invalidTimestamp(String(decoding: text, as: UTF8.self))
        }
        return micros
    }

    /// A short enum-like string (`ev`, `role`, `msg`); these never need escapes.
    private static let roles = TraceRole.allCases.map { (Array($0.rawValue.utf8), $0) }
    private static let kinds = TraceEventKind.allCases.map { (Array($0.rawValue.utf8), $0) }
    private static let messages = TraceMessageType.allCases.map { (Array($0.rawValue.utf8), $0) }

    /// A string naming a case (`ev`, `role`, `msg`), matched on its bytes without making a `String`.
    private mutating func readEnum<Value>(
        _ cursor: inout Cursor, key: String, _ table: [([UInt8], Value)]
    ) throws(TraceError) -> Value {
        let found = try cursor.peek()
        guard found == UInt8(ascii: "\"") else { throw .invalidValue(key: key, expected: "a string") }
        let start = cursor.index + 1
        var end = start
        while end < cursor.end, cursor.base[end] != UInt8(ascii: "\""), cursor.base[end] != UInt8(ascii: "\\") {
            end += 1
        }
        if end < cursor.end, cursor.base[end] == UInt8(ascii: "\"") {
            let count = end - start
            for (name, value) in table where name.count == count {
                let same = name.withUnsafeBufferPointer { bytes in
                    for offset in 0..<count where bytes[offset] != cursor.base[start + offset] { return false }
                    return true
                }
                if same {
                    cursor.index = end + 1
                    return value
                }
            }
        }
        let name = try readString(&cursor, slot: .list, key: key)
        for (bytes, value) in table where bytes.elementsEqual(name.utf8) { return value }
        throw .unknownValue(key: key, value: name)
    }

    private mutating func readString(_ cursor: inout Cursor, slot: StringSlot, key: String) throws(TraceError) -> String
    {
        let found = try cursor.peek()
        guard found == UInt8(ascii: "\"") else { throw .invalidValue(key: key, expected: "a string") }
        cursor.index += 1
        let start = cursor.index
        while cursor.index < cursor.end {
            let byte = cursor.base[cursor.index]
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeBufferPointer(start: cursor.base + start, count: cursor.index - start)
                cursor.index += 1
                return makeString(text, slot: slot)
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(&cursor, from: start, slot: slot) }
            if byte < 0x20 { throw .unexpectedByte(byte, offset: cursor.index, expected: "a string character") }
            cursor.index += 1
        }
        throw .unexpectedEnd(offset: cursor.index)
    }

    private mutating func readEscapedString(
        _ cursor: inout Cursor, from start: Int, slot: StringSlot
    ) throws(TraceError) -> String {
        escapeScratch.removeAll(keepingCapacity: true)
        escapeScratch.append(contentsOf: UnsafeBufferPointer(start: cursor.base + start, count: cursor.index - start))
        while cursor.index < cursor.end {
            let byte = cursor.base[cursor.index]
            if byte == UInt8(ascii: "\"") {
                cursor.index += 1
                let scratch = escapeScratch
                return scratch.withUnsafeBufferPointer { makeString($0, slot: slot) }
            }
            if byte < 0x20 { throw .unexpectedByte(byte, offset: cursor.index, expected: "a string character") }
            guard byte == UInt8(ascii: "\\") else {
                escapeScratch.append(byte)
                cursor.index += 1
                continue
            }
            let escapeOffset = cursor.index
            cursor.index += 1
            guard cursor.index < cursor.end else { throw .unexpectedEnd(offset: cursor.index) }
            let escaped = cursor.base[cursor.index]
            cursor.index += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): escapeScratch.append(escaped)
            case UInt8(ascii: "n"): escapeScratch.append(0x0A)
            case UInt8(ascii: "r"): escapeScratch.append(0x0D)
            case UInt8(ascii: "t"): escapeScratch.append(0x09)
            case UInt8(ascii: "b"): escapeScratch.append(0x08)
            case UInt8(ascii: "f"): escapeScratch.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try readHex4(&cursor, escapeOffset: escapeOffset)
                if (0xD800..<0xDC00).contains(scalar) {
                    guard cursor.index + 1 < cursor.end, cursor.base[cursor.index] == UInt8(ascii: "\\"),
                        cursor.base[cursor.index + 1] == UInt8(ascii: "u")
                    else { throw .invalidEscape(offset: escapeOffset) }
                    cursor.index += 2
                    let low = try readHex4(&cursor, escapeOffset: escapeOffset)
                    guard (0xDC00..<0xE000).contains(low) else { throw .invalidEscape(offset: escapeOffset) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw .invalidEscape(offset: escapeOffset)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw .invalidEscape(offset: escapeOffset) }
                escapeScratch.append(contentsOf: UTF8.encode(unicode).map { Array($0) } ?? [])
            default:
                throw .invalidEscape(offset: escapeOffset)
            }
        }
        throw .unexpectedEnd(offset: cursor.index)
    }

    private func readHex4(_ cursor: inout Cursor, escapeOffset: Int) throws(TraceError) -> UInt32 {
        guard cursor.index + 4 <= cursor.end else { throw .unexpectedEnd(offset: cursor.end) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = cursor.base[cursor.index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .invalidEscape(offset: escapeOffset)
            }
            value = value << 4 | UInt32(digit)
            cursor.index += 1
        }
        return value
    }

    private mutating func makeString(_ text: UnsafeBufferPointer<UInt8>, slot: StringSlot) -> String {
        if text.count <= Self.smallStringLimit || slot == .list {
            return String(decoding: text, as: UTF8.self)
        }
        let index = slot.rawValue
        let hit = cachedBytes[index].withUnsafeBufferPointer { cached in
            guard cached.count == text.count, let a = cached.baseAddress, let b = text.baseAddress else { return false }
            return memcmp(a, b, text.count) == 0
        }
        if hit { return cachedStrings[index] }
        let string = String(decoding: text, as: UTF8.self)
        cachedBytes[index] = Array(text)
        cachedStrings[index] = string
        return string
    }

    private func readChunkList(_ cursor: inout Cursor, key: String) throws(TraceError) -> [UInt16] {
        guard try cursor.peek() == UInt8(ascii: "[") else {
            throw .invalidValue(key: key, expected: "a list of chunk ids")
        }
        cursor.index += 1
        var ids: [UInt16] = []
        if try cursor.peek() == UInt8(ascii: "]") {
            cursor.index += 1
            return ids
        }
        while true {
            let value = try readUInt(&cursor, key: key)
            guard let id = UInt16(exactly: value) else { throw .invalidValue(key: key, expected: "ids in 0…65535") }
            ids.append(id)
            let next = try cursor.peek()
            cursor.index += 1
            if next == UInt8(ascii: "]") { return ids }
            guard next == UInt8(ascii: ",") else {
                throw .unexpectedByte(next, offset: cursor.index - 1, expected: "',' or ']'")
            }
        }
    }

    private mutating func readStringList(_ cursor: inout Cursor, key: String) throws(TraceError) -> [String] {
        guard try cursor.peek() == UInt8(ascii: "[") else {
            throw .invalidValue(key: key, expected: "a list of strings")
        }
        cursor.index += 1
        var strings: [String] = []
        if try cursor.peek() == UInt8(ascii: "]") {
            cursor.index += 1
            return strings
        }
        while true {
            strings.append(try readString(&cursor, slot: .list, key: key))
            let next = try cursor.peek()
            cursor.index += 1
            if next == UInt8(ascii: "]") { return strings }
            guard next == UInt8(ascii: ",") else {
                throw .unexpectedByte(next, offset: cursor.index - 1, expected: "',' or ']'")
            }
        }
    }

    /// Skips any JSON value (the value of an unknown key).
    private mutating func skipValue(_ cursor: inout Cursor, depth: Int) throws(TraceError) {
        guard depth < 32 else { throw .nestedTooDeep(offset: cursor.index) }
        let first = try cursor.peek()
        switch first {
        case UInt8(ascii: "\""):
            _ = try readString(&cursor, slot: .list, key: "unknown")
        case UInt8(ascii: "t"): try readLiteral(&cursor, "true")
        case UInt8(ascii: "f"): try readLiteral(&cursor, "false")
        case UInt8(ascii: "n"): try readLiteral(&cursor, "null")
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            let isObject = first == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            cursor.index += 1
            if try cursor.peek() == close {
                cursor.index += 1
                return
            }
            while true {
                if isObject {
                    _ = try readKey(&cursor)
                    try cursor.expect(UInt8(ascii: ":"), "':'")
                }
                try skipValue(&cursor, depth: depth + 1)
                let next = try cursor.peek()
                cursor.index += 1
                if next == close { return }
                guard next == UInt8(ascii: ",") else {
                    throw .unexpectedByte(next, offset: cursor.index - 1, expected: "',' or a closing bracket")
                }
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = cursor.index
            while cursor.index < cursor.end {
                switch cursor.base[cursor.index] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                    UInt8(ascii: "e"), UInt8(ascii: "E"):
                    cursor.index += 1
                default:
                    guard cursor.index > start else {
                        throw .unexpectedByte(first, offset: start, expected: "a number")
                    }
                    return
                }
            }
        default:
            throw .unexpectedByte(first, offset: cursor.index, expected: "a JSON value")
        }
    }
}
