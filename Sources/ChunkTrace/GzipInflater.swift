import CZlib

/// A zlib inflate stream that accepts gzip or zlib framing (windowBits 47) and hands out decompressed bytes.
///
/// Not thread-safe. The `z_stream` lives at a fixed address, as zlib requires.
final class GzipInflater {
    /// How a call to `inflate` ended.
    enum Step {
        /// Needs more input (or more output room); keep going.
        case more
        /// The end of a gzip member; more members may follow.
        case memberEnd
        /// The compressed data is damaged; zlib's message.
        case damaged(String)
    }

    private let stream: UnsafeMutablePointer<z_stream>
    let output: UnsafeMutablePointer<UInt8>
    let outputSize = 256 * 1024

    init() throws(TraceError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(capacity: outputSize)
        let code = czlib_inflateInit2(stream, 47)
        guard code == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            output.deallocate()
            throw .zlib(operation: "inflateInit2", code: code)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    /// Input bytes not yet consumed.
    var availableInput: Int { Int(stream.pointee.avail_in) }
    /// Where the unconsumed input starts.
    var nextInput: UnsafeMutablePointer<UInt8>? { stream.pointee.next_in }

    func setInput(_ bytes: UnsafeMutablePointer<UInt8>, count: Int) {
        stream.pointee.next_in = bytes
        stream.pointee.avail_in = UInt32(count)
    }

    /// Starts reading a new member (after `memberEnd`).
    func reset() {
        inflateReset(stream)
    }

    /// Inflates into `output`; `produced` is how many bytes it filled.
    func step(produced: inout Int) -> Step {
        stream.pointee.next_out = output
        stream.pointee.avail_out = UInt32(outputSize)
        let code = inflate(stream, Z_NO_FLUSH)
        produced = outputSize - Int(stream.pointee.avail_out)
        switch code {
        case Z_OK, Z_BUF_ERROR:
            return .more
        case Z_STREAM_END:
            return .memberEnd
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(code)"
            return .damaged(message)
        }
    }
}
