import Testing

@testable import ChunkTrace

struct TraceLineEncoderTests {
    @Test("a query send is written with keys in the fixed order and absent keys left out")
    func querySendExact() {
        #expect(
            TraceLineEncoder.line(SampleEvents.querySend())
                == #"{"v":1,"ts":"2026-11-25T16:28:12.123456Z","node":"127.0.0.1:5001","role":"peer","run":"r1","seq":7,"#
                + #""ev":"send","msg":"query","to":"127.0.0.1:5002","bytes":18,"chunks":[1,2,3],"client":"127.0.0.1:7320","#
                + #""ttl":2,"cause":6}"#)
    }

    @Test("a start event carries neighbours, held chunks and the software version")
    func startExact() {
        let event = TraceEvent(
            timestamp: SampleEvents.timestamp, node: "10.0.0.4:5004", role: .peer, run: "abc", seq: 1, kind: .start,
            neighbors: ["10.0.0.5:5005"], held: [6, 7, 8], software: "p2p-chunks 1.0")
        #expect(
            TraceLineEncoder.line(event)
                == #"{"v":1,"ts":"2026-11-25T16:28:12.123456Z","node":"10.0.0.4:5004","role":"peer","run":"abc","seq":1,"#
                + #""ev":"start","neighbors":["10.0.0.5:5005"],"held":[6,7,8],"software":"p2p-chunks 1.0"}"#)
    }

    @Test("every key is written when every field is set, in stored property order")
    func allKeysInOrder() {
        let event = TraceEvent(
            timestamp: 0, node: "n", role: .client, run: "r", seq: 2, kind: .drop, message: .chunkInfo, from: "f",
            to: "t", bytes: 3, chunks: [], size: 4, client: "c", ttl: 0, cause: 1, reason: "x", head: "00ff",
            neighbors: [], held: [65535], contact: "k", software: "s")
        #expect(
            TraceLineEncoder.line(event)
                == #"{"v":1,"ts":"1970-01-01T00:00:00.000000Z","node":"n","role":"client","run":"r","seq":2,"ev":"drop","#
                + #""msg":"chunk_info","from":"f","to":"t","bytes":3,"chunks":[],"size":4,"client":"c","ttl":0,"cause":1,"#
                + #""reason":"x","head":"00ff","neighbors":[],"held":[65535],"contact":"k","software":"s"}"#)
    }

    @Test("quotes, backslashes and control characters are escaped; other text is kept as UTF-8")
    func escaping() {
        var event = SampleEvents.querySend()
        event.reason = "a\"b\\c\nd\re\tf\u{8}g\u{C}h\u{0}i\u{1F}j\u{7F}é😀/"
        let line = TraceLineEncoder.line(event)
        #expect(line.contains(#","reason":"a\"b\\c\nd\re\tf\bg\fh\u0000i\u001fj"# + "\u{7F}é😀/\"}"))
    }

    @Test("each line ends with one newline and appends to what the buffer holds", arguments: [1, 3])
    func appendsLines(count: Int) {
        var buffer: [UInt8] = Array("x".utf8)
        for seq in 1...count { TraceLineEncoder.append(SampleEvents.realistic(seq: UInt64(seq)), to: &buffer) }
        #expect(buffer.first == UInt8(ascii: "x"))
        #expect(buffer.filter { $0 == 0x0A }.count == count)
        #expect(buffer.last == 0x0A)
    }

    @Test(
        "ts is RFC 3339 UTC with exactly six fractional digits",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000000Z"),
            (1_795_624_092_123_456, "2026-11-25T16:28:12.123456Z"),
            (1_795_624_092_000_001, "2026-11-25T16:28:12.000001Z"),
            (951_868_799_999_999, "2000-02-29T23:59:59.999999Z"),
            (-500_000, "1969-12-31T23:59:59.500000Z"),
            (253_402_300_799_999_999, "9999-12-31T23:59:59.999999Z"),
        ])
    func timestampFormat(micros: Int64, text: String) {
        var buffer: [UInt8] = []
        TraceTimestamp.append(micros, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == text)
        let parsed = buffer.withUnsafeBufferPointer { TraceTimestamp.parse($0) }
        #expect(parsed == micros)
    }

    @Test("file stamps are compact, sortable and carry microseconds")
    func fileStamp() {
        #expect(TraceTimestamp.fileStamp(SampleEvents.timestamp) == "20261125T162812.123456Z")
    }
}
