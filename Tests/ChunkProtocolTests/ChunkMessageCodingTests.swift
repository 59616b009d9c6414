import ChunkProtocol
import NIOCore
import TestSupport
import Testing

private func bytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.filter { !$0.isWhitespace })
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

private let client = NodeAddress(ip: 0x7F00_0001, port: 7320)
private let payload = ByteBuffer(bytes: (0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 7) })

struct ChunkMessageCodingTests {
    static let vectors: [(String, ChunkMessage, [UInt8])] = [
        ("HELLO", .hello(chunks: [1, 2, 3, 4]), bytes("0001 0004 0001 0002 0003 0004")),
        (
            "QUERY", .query(client: client, ttl: 3, chunks: [1, 2, 3]),
            bytes("0002 7f000001 1c98 0003 0003 0001 0002 0003")
        ),
        ("CHUNK_INFO", .chunkInfo(chunks: [1, 2]), bytes("0003 0002 0001 0002")),
        ("GET", .get(chunks: [1, 2]), bytes("0004 0002 0001 0002")),
        ("RESPONSE", .response(chunk: 1, payload: payload), bytes("0005 0001 0400") + Array(payload.readableBytesView)),
    ]

    @Test("every test vector of PROTOCOL.md encodes byte for byte", arguments: vectors)
    func encodesTestVector(name: String, message: ChunkMessage, wire: [UInt8]) throws {
        #expect(try message.encoded() == wire, "\(name)")
        #expect(message.encodedLength == wire.count)
    }

    @Test("every test vector of PROTOCOL.md decodes to its message", arguments: vectors)
    func decodesTestVector(name: String, message: ChunkMessage, wire: [UInt8]) throws {
        #expect(try ChunkMessage(decoding: wire) == message, "\(name)")
    }

    @Test("empty chunk lists are valid in both directions")
    func emptyLists() throws {
        #expect(try ChunkMessage(decoding: bytes("0003 0000")) == .chunkInfo(chunks: []))
        #expect(try ChunkMessage.response(chunk: 9, payload: ByteBuffer()).encoded() == bytes("0005 0009 0000"))
    }

    @Test("random messages survive encode then decode")
    func roundTrip() throws {
        var generator = SeededGenerator(seed: 0xC0DE_0001)
        for _ in 0..<2000 {
            let ids = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                UInt16.random(in: 0...UInt16.max, using: &generator)
            }
            let message: ChunkMessage =
                switch Int.random(in: 0..<5, using: &generator) {
                case 0: .hello(chunks: ids)
                case 1:
                    .query(
                        client: NodeAddress(ip: .random(in: 0...UInt32.max), port: .random(in: 0...UInt16.max)),
                        ttl: .random(in: 0...UInt16.max), chunks: ids)
                case 2: .chunkInfo(chunks: ids)
                case 3: .get(chunks: ids)
                default:
                    .response(
                        chunk: .random(in: 0...UInt16.max),
                        payload: ByteBuffer(
                            bytes: (0..<Int.random(in: 0...2048)).map { _ in UInt8.random(in: 0...255) }))
                }
            let wire = try message.encoded()
            #expect(wire.count == message.encodedLength)
            #expect(try ChunkMessage(decoding: wire) == message)
        }
    }

    static let malformed: [(String, [UInt8], ChunkProtocolError)] = [
        ("empty datagram", [], .missingType(got: 0)),
        ("one byte", [0], .missingType(got: 1)),
        ("unknown type 0", bytes("0000 0001 0001"), .unknownType(0)),
        ("unknown type 6", bytes("0006"), .unknownType(6)),
        ("hello without count", bytes("0001"), .truncated(message: .hello, expected: 4, got: 2)),
        ("hello count above length", bytes("0001 0003 0001 0002"), .truncated(message: .hello, expected: 10, got: 8)),
        ("get with half an id", bytes("0004 0001 00"), .truncated(message: .get, expected: 6, got: 5)),
        (
            "chunk_info with trailing bytes", bytes("0003 0001 0001 ff"),
            .trailingBytes(message: .chunkInfo, expected: 6, got: 7)
        ),
        ("query cut in the address", bytes("0002 7f00"), .truncated(message: .query, expected: 12, got: 4)),
        (
            "query count above length", bytes("0002 7f000001 1c98 0003 0002 0001"),
            .truncated(message: .query, expected: 16, got: 14)
        ),
        (
            "query with trailing bytes", bytes("0002 7f000001 1c98 0003 0000 00"),
            .trailingBytes(message: .query, expected: 12, got: 13)
        ),
        ("response header cut", bytes("0005 0001"), .truncated(message: .response, expected: 6, got: 4)),
        (
            "response shorter than size", bytes("0005 0001 0004 aabb"),
            .responseSizeMismatch(chunk: 1, declared: 4, payload: 2)
        ),
        (
            "response longer than size", bytes("0005 0001 0001 aabb"),
            .responseSizeMismatch(chunk: 1, declared: 1, payload: 2)
        ),
    ]

    @Test("malformed datagrams are typed errors naming what is wrong", arguments: malformed)
    func rejectsMalformed(name: String, wire: [UInt8], expected: ChunkProtocolError) {
        #expect(throws: expected, "\(name)") { try ChunkMessage(decoding: wire) }
    }

    @Test("random garbage never traps the decoder")
    func garbageNeverTraps() {
        var generator = SeededGenerator(seed: 0xC0DE_0002)
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...64, using: &generator)
            var wire = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if length >= 2 {
                wire[0] = 0
                wire[1] = UInt8.random(in: 0...6, using: &generator)
            }
            _ = try? ChunkMessage(decoding: wire)
        }
    }

    @Test("a list too long for the count field cannot be encoded")
    func tooLongList() {
        #expect(throws: ChunkProtocolError.tooLong(message: .get, count: 65_536)) {
            try ChunkMessage.get(chunks: Array(repeating: 1, count: 65_536)).encoded()
        }
    }

    @Test("error messages say what is wrong and by how much")
    func errorDescriptions() {
        #expect(
            ChunkProtocolError.truncated(message: .hello, expected: 10, got: 8).description.contains("needs 10 bytes"))
        #expect(
            ChunkProtocolError.responseSizeMismatch(chunk: 1, declared: 4, payload: 2).description.contains(
                "declares 4"))
    }
}
