import NIOCore

extension ByteBuffer {
    /// Decodes the whole readable region as one message, consuming it.
    ///
    /// - Throws: `ChunkProtocolError` when the bytes are not exactly one valid message.
    package mutating func readChunkMessage() throws(ChunkProtocolError) -> ChunkMessage {
        var ids = [ChunkID]()
        return try readChunkMessage(reusing: &ids)
    }

    /// Decodes the whole readable region as one message, consuming it; the message's id list is built in `ids`'
    /// memory (a decoder that keeps one array and drops each message before the next allocates nothing per
    /// datagram).
    ///
    /// - Throws: `ChunkProtocolError` when the bytes are not exactly one valid message.
    package mutating func readChunkMessage(reusing ids: inout [ChunkID]) throws(ChunkProtocolError) -> ChunkMessage {
        let total = readableBytes
        guard let rawType = readInteger(endianness: .big, as: UInt16.self) else {
            throw .missingType(got: total)
        }
        guard let type = MessageType(rawValue: rawType) else { throw .unknownType(rawType) }
        switch type {
        case .hello, .chunkInfo, .get:
            let chunks = try readChunkList(of: type, total: total, headerLength: 2, into: &ids)
            switch type {
            case .hello: return .hello(chunks: chunks)
            case .chunkInfo: return .chunkInfo(chunks: chunks)
            default: return .get(chunks: chunks)
            }
        case .query:
            guard let (ip, port, ttl) = readMultipleIntegers(endianness: .big, as: (UInt32, UInt16, UInt16).self)
            else { throw .truncated(message: .query, expected: 12, got: total) }
            let chunks = try readChunkList(of: .query, total: total, headerLength: 10, into: &ids)
            return .query(client: NodeAddress(ip: ip, port: port), ttl: ttl, chunks: chunks)
        case .response:
            guard let (chunk, size) = readMultipleIntegers(endianness: .big, as: (UInt16, UInt16).self) else {
                throw .truncated(message: .response, expected: 6, got: total)
            }
            let payloadLength = readableBytes
            guard payloadLength == Int(size) else {
                throw .responseSizeMismatch(chunk: chunk, declared: Int(size), payload: payloadLength)
            }
            guard let payload = readSlice(length: payloadLength) else {
                throw .truncated(message: .response, expected: 6 + Int(size), got: total)
            }
            return .response(chunk: chunk, payload: payload)
        }
    }

    private mutating func readChunkList(
        of type: MessageType, total: Int, headerLength: Int, into chunks: inout [ChunkID]
    ) throws(ChunkProtocolError) -> [ChunkID] {
        guard let count = readInteger(endianness: .big, as: UInt16.self) else {
            throw .truncated(message: type, expected: headerLength + 2, got: total)
        }
        let expected = headerLength + 2 + 2 * Int(count)
        guard total >= expected else { throw .truncated(message: type, expected: expected, got: total) }
        guard total == expected else { throw .trailingBytes(message: type, expected: expected, got: total) }
        chunks.removeAll(keepingCapacity: true)
        chunks.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let chunk = readInteger(endianness: .big, as: UInt16.self) else {
                throw .truncated(message: type, expected: expected, got: total)
            }
            chunks.append(chunk)
        }
        return chunks
    }

    /// Appends the exact wire form of `message`.
    ///
    /// - Throws: `ChunkProtocolError.tooLong` when a list or payload does not fit its 16-bit field.
    @discardableResult
    package mutating func writeChunkMessage(_ message: ChunkMessage) throws(ChunkProtocolError) -> Int {
        let start = writerIndex
        switch message {
        case .hello(let chunks), .chunkInfo(let chunks), .get(let chunks):
            try writeChunkList(chunks, type: message.type, header: message.type.rawValue)
        case .query(let client, let ttl, let chunks):
            guard chunks.count <= Int(UInt16.max) else { throw .tooLong(message: .query, count: chunks.count) }
            writeMultipleIntegers(
                MessageType.query.rawValue, client.ip, client.port, ttl, UInt16(chunks.count), endianness: .big)
            for chunk in chunks { writeInteger(chunk, endianness: .big) }
        case .response(let chunk, var payload):
            guard payload.readableBytes <= Int(UInt16.max) else {
                throw .tooLong(message: .response, count: payload.readableBytes)
            }
            writeMultipleIntegers(
                MessageType.response.rawValue, chunk, UInt16(payload.readableBytes), endianness: .big)
            writeBuffer(&payload)
        }
        return writerIndex - start
    }

    private mutating func writeChunkList(
        _ chunks: [ChunkID], type: MessageType, header: UInt16
    ) throws(ChunkProtocolError) {
        guard chunks.count <= Int(UInt16.max) else { throw .tooLong(message: type, count: chunks.count) }
        writeMultipleIntegers(header, UInt16(chunks.count), endianness: .big)
        for chunk in chunks { writeInteger(chunk, endianness: .big) }
    }
}

extension ChunkMessage {
    /// Decodes one datagram given as bytes.
    package init(decoding bytes: some Collection<UInt8>) throws(ChunkProtocolError) {
        var buffer = ByteBuffer(bytes: bytes)
        self = try buffer.readChunkMessage()
    }

    /// The exact wire form of this message.
    package func encoded() throws(ChunkProtocolError) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(encodedLength)
        try buffer.writeChunkMessage(self)
        return Array(buffer.readableBytesView)
    }
}
