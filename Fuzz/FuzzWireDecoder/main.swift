import ChunkProtocol

/// libFuzzer entry: decodes the input as one datagram. A datagram that decodes must encode back to the same bytes
/// (the wire format has no optional parts); anything else must be refused with a `ChunkProtocolError`, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let message = try? ChunkMessage(decoding: input) else { return 0 }
    guard let encoded = try? message.encoded() else {
        preconditionFailure("a decoded \(message.type) does not encode again")
    }
    precondition(encoded.elementsEqual(input), "\(message.type): decoded and encoded again, the bytes differ")
    precondition(message.encodedLength == size, "\(message.type): encodedLength \(message.encodedLength) != \(size)")
    return 0
}
