import Plurals

/// Why a datagram is not a valid message, or a message cannot be encoded.
package enum ChunkProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Fewer than the two bytes of the type field.
    case missingType(got: Int)
    /// A type field that is not 1 to 5.
    case unknownType(UInt16)
    /// The datagram ends before the fields its header announces.
    case truncated(message: MessageType, expected: Int, got: Int)
    /// The datagram goes on after the fields its header announces.
    case trailingBytes(message: MessageType, expected: Int, got: Int)
    /// A RESPONSE whose size field disagrees with the payload it carries.
    case responseSizeMismatch(chunk: ChunkID, declared: Int, payload: Int)
    /// A chunk list or payload too long for a 16-bit count or size field.
    case tooLong(message: MessageType, count: Int)

    /// A short label for metrics: `truncated`, `trailing_bytes`, `size_mismatch`, `unknown_type`, ….
    package var reason: String {
        switch self {
        case .missingType, .truncated: "truncated"
        case .unknownType: "unknown_type"
        case .trailingBytes: "trailing_bytes"
        case .responseSizeMismatch: "size_mismatch"
        case .tooLong: "too_long"
        }
    }

    package var description: String {
        switch self {
        case .missingType(let got):
            "datagram of \(counted(got, "byte")) is too short to hold a message type (2 bytes)"
        case .unknownType(let type):
            "unknown message type \(type) (expected 1 HELLO to 5 RESPONSE)"
        case .truncated(let message, let expected, let got):
            "truncated \(message.name): needs \(expected) bytes, datagram has \(got)"
        case .trailingBytes(let message, let expected, let got):
            "\(message.name) has trailing bytes: its fields take \(expected) bytes, datagram has \(got)"
        case .responseSizeMismatch(let chunk, let declared, let payload):
            "response for chunk \(chunk) declares \(declared) payload bytes but carries \(payload)"
        case .tooLong(let message, let count):
            "\(message.name) cannot carry \(count) items: the wire field is 16 bits"
        }
    }
}
