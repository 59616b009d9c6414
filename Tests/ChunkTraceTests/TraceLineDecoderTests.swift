import TestSupport
import Testing

@testable import ChunkTrace

struct TraceLineDecoderTests {
    @Test("decoding an encoded event gives the same event, for random events with awkward strings")
    func roundTrip() throws {
        var rng = SeededGenerator(seed: 0x5EED_0003)
        var decoder = TraceLineDecoder()
        var buffer: [UInt8] = []
        for seq in 1...3000 {
            let event = SampleEvents.random(seq: UInt64(seq), using: &rng)
            buffer.removeAll(keepingCapacity: true)
            TraceLineEncoder.append(event, to: &buffer)
            let decoded = try decoder.decode(buffer)
            #expect(decoded == event, "line: \(String(decoding: buffer, as: UTF8.self))")
            if decoded != event { break }
        }
    }

    @Test("repeated strings decode correctly when the decoder reuses them across lines")
    func reusedStrings() throws {
        var decoder = TraceLineDecoder()
        let first = SampleEvents.realistic(seq: 1, run: "a-long-run-identifier-0001")
        let second = SampleEvents.realistic(seq: 2, run: "a-long-run-identifier-0002")
        for event in [first, first, second, first] {
            #expect(try decoder.decode(TraceLineEncoder.line(event)) == event)
        }
    }

    @Test("unknown keys of any JSON type are skipped")
    func unknownKeys() throws {
        var decoder = TraceLineDecoder()
        let line =
            #"{"v":1,"future":{"a":[1,-2.5e3,{"b":null}],"c":"x\"y"},"ts":"2026-11-25T16:28:12.123456Z","node":"127.0.0.1:5001","#
            + #""role":"peer","run":"r1","seq":7,"flag":true,"ev":"send","msg":"query","to":"127.0.0.1:5002","bytes":18,"#
            + #""chunks":[1,2,3],"client":"127.0.0.1:7320","ttl":2,"cause":6,"list":[],"obj":{},"off":false,"n":null}"#
        #expect(try decoder.decode(line) == SampleEvents.querySend())
    }

    @Test("spaces between tokens, null values and a CRLF ending are accepted")
    func lenientSyntax() throws {
        var decoder = TraceLineDecoder()
        let line =
            " { \"v\" : 1 , \"ts\" : \"2026-11-25T17:28:12.123456+01:00\", \"node\":\"127.0.0.1:5001\", \"role\":\"peer\","
            + " \"run\":\"r1\", \"seq\":7, \"ev\":\"send\", \"msg\":\"query\", \"to\":\"127.0.0.1:5002\", \"bytes\":18,"
            + " \"chunks\":[ 1 , 2 , 3 ], \"client\":\"127.0.0.1:7320\", \"ttl\":2, \"cause\":6, \"reason\":null } \r\n"
        #expect(try decoder.decode(line) == SampleEvents.querySend())
    }

    @Test("escapes, including surrogate pairs, decode to the right text")
    func escapes() throws {
        var decoder = TraceLineDecoder()
        let line =
            #"{"v":1,"ts":"1970-01-01T00:00:00Z","node":"n","role":"client","run":"r","seq":1,"ev":"stop","#
            + #""reason":"\u00e9\ud83d\ude00\/\"\\\n\u0001"}"#
        #expect(try decoder.decode(line).reason == "é😀/\"\\\n\u{1}")
    }

    @Test(
        "damaged lines are reported as typed errors",
        arguments: [
            ("", TraceError.notAnObject),
            ("[1]", .notAnObject),
            (#"{"v":1,"ts":"2026-11-25T16:28:12.123456Z","node":"n""#, .unexpectedEnd(offset: 52)),
            (#"{"v":1,"ts":"2026-11-25T16:28:12Z","node":"n","role":"peer","run":"r","seq":1}"#, .missingKey("ev")),
            (
                #"{"v":1,"ts":"2026-11-25T16:28:12Z","node":"n","role":"peer","run":"r","seq":1,"ev":"jump"}"#,
                .unknownValue(key: "ev", value: "jump")
            ),
            (
                #"{"v":1,"ts":"yesterday","node":"n","role":"peer","run":"r","seq":1,"ev":"send"}"#,
                .invalidTimestamp("yesterday")
            ),
            (
                #"{"v":1,"ts":"2026-11-25T16:28:12Z","node":"n","role":"peer","run":"r","seq":-1,"ev":"send"}"#,
                .invalidValue(key: "seq", expected: "a non-negative integer")
            ),
            (
                #"{"v":1,"ts":"2026-11-25T16:28:12Z","node":"n","role":"peer","run":"r","seq":1,"ev":"send","chunks":[70000]}"#,
                .invalidValue(key: "chunks", expected: "ids in 0…65535")
            ),
            (
                #"{"v":1,"ts":"2026-11-25T16:28:12Z","node":"n","role":"peer","run":"r","seq":1,"ev":"send"} x"#,
                .trailingBytes(offset: 91)
            ),
            (
                #"{"v":1,"ts":"2026-11-25T16:28:12Z","node":"n\q","role":"peer","run":"r","seq":1,"ev":"send"}"#,
                .invalidEscape(offset: 44)
            ),
        ])
    func damagedLines(line: String, expected: TraceError) {
        var decoder = TraceLineDecoder()
        #expect(throws: expected) { try decoder.decode(line) }
    }

    /// Found by Fuzz/FuzzTraceLine: a signed five-character year decoded, and the line written back (`-922-…`)
    /// did not.
    @Test(
        "a timestamp whose year is not four digits, or that a zone offset moves out of 0000…9999, is refused",
        arguments: [
            "-0922-11-25T16:28:12.123456Z", "+2026-11-25T16:28:12Z", "-922-11-25T16:28:12Z", "10000-01-01T00:00:00Z",
            "202-11-25T16:28:12Z", "0000-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00",
        ])
    func yearsWrittenBackAreReadBack(timestamp: String) {
        var decoder = TraceLineDecoder()
        let line = #"{"v":1,"ts":"\#(timestamp)","node":"n","role":"peer","run":"r","seq":1,"ev":"stop"}"#
        #expect(throws: TraceError.invalidTimestamp(timestamp)) { try decoder.decode(line) }
    }

    @Test("the first and last instants of four-digit years decode, and their lines decode again to the same event")
    func extremeYearsRoundTrip() throws {
        var decoder = TraceLineDecoder()
        for timestamp in ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "0001-01-01T00:30:00+01:00"] {
            let line = #"{"v":1,"ts":"\#(timestamp)","node":"n","role":"peer","run":"r","seq":1,"ev":"stop"}"#
            let event = try decoder.decode(line)
            #expect(try decoder.decode(TraceLineEncoder.line(event)) == event, "\(timestamp)")
        }
    }

    @Test("a line cut anywhere never decodes into an event and never crashes")
    func everyPrefixFails() {
        var decoder = TraceLineDecoder()
        let line = Array(TraceLineEncoder.line(SampleEvents.querySend()).utf8)
        for length in 0..<line.count {
            #expect(throws: TraceError.self) { try decoder.decode(Array(line[0..<length])) }
        }
    }
}
