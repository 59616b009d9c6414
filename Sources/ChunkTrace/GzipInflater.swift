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
    private let header: UnsafeMutablePointer<gz_header>
    private let extra: UnsafeMutablePointer<UInt8>
    private let extraSize = 32
    let output: UnsafeMutablePointer<UInt8>
    let outputSize = 256 * 1024

    init() throws(TraceError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        header = .allocate(capacity: 1)
        header.initialize(to: gz_header())
        extra = .allocate(capacity: extraSize)
        output = .allocate(capacity: outputSize)
        let code = czlib_inflateInit2(stream, 47)
        guard code == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            header.deallocate()
            extra.deallocate()
            output.deallocate()
            throw .zlib(operation: "inflateInit2", code: code)
        }
        watchHeader()
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        header.deallocate()
        extra.deallocate()
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
        watchHeader()
    }

    /// The data byte of the `GzipSegmentMarker` subfield in the current member's gzip header, once the
    /// header has been read; `nil` for members without it (and zlib streams).
    var memberMarker: UInt8? {
        guard header.pointee.done == 1, header.pointee.extra != nil else { return nil }
        let count = min(Int(header.pointee.extra_len), extraSize)
        let subfield = GzipSegmentMarker.subfield
        var offset = 0
        while offset + 4 <= count {
            let length = Int(extra[offset + 2]) | Int(extra[offset + 3]) << 8
            if extra[offset] == subfield[0] && extra[offset + 1] == subfield[1] && length == 1
                && offset + 4 < count
            {
                return extra[offset + 4]
            }
            offset += 4 + length
        }
        return nil
    }

    /// Asks zlib to keep the next gzip header's extra field (inflateReset forgets the request).
    private func watchHeader() {
        header.initialize(to: gz_header())
        header.pointee.extra = extra
        header.pointee.extra_max = UInt32(extraSize)
        inflateGetHeader(stream, header)
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
