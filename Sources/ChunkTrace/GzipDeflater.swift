import CZlib

/// A zlib deflate stream with gzip framing (windowBits 31) that appends compressed bytes to a buffer.
///
/// `ZlibMemberDeflater` uses it for one member per batch; tests use it to write plain and earlier-format gzip
/// files. Not thread-safe; owned by the writer's compression thread. The `z_stream` lives at a fixed address, as zlib
/// requires.
final class GzipDeflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let scratch: UnsafeMutablePointer<UInt8>
    private let scratchSize = 128 * 1024
    /// Input bytes taken since the last flush.
    private(set) var unflushedInput = 0

    init(level: Int32) throws(TraceError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        scratch = .allocate(capacity: scratchSize)
        let code = czlib_deflateInit2(stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY)
        guard code == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            scratch.deallocate()
            throw .zlib(operation: "deflateInit2", code: code)
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
    }

    /// Starts a new gzip stream (a new file), forgetting everything before.
    func reset() {
        deflateReset(stream)
        unflushedInput = 0
    }

    /// Compresses `input`; `flush` is `Z_NO_FLUSH`, `Z_SYNC_FLUSH` or `Z_FINISH`. Output is appended to `output`.
    ///
    /// - Returns: zlib's last code: `Z_STREAM_END` once a `Z_FINISH` completed the stream.
    @discardableResult
    func compress(_ input: UnsafeRawBufferPointer, flush: Int32, into output: inout [UInt8]) -> Int32 {
        unflushedInput += input.count
        if flush != Z_NO_FLUSH { unflushedInput = 0 }
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(input.count)
        var code = Z_OK
        while true {
            stream.pointee.next_out = scratch
            stream.pointee.avail_out = UInt32(scratchSize)
            code = deflate(stream, flush)
            let produced = scratchSize - Int(stream.pointee.avail_out)
            if produced > 0 {
                output.append(contentsOf: UnsafeBufferPointer(start: scratch, count: produced))
            }
            // Z_BUF_ERROR means no progress was possible (nothing left to do); never an error for us.
            if code == Z_STREAM_END || code == Z_BUF_ERROR || code == Z_STREAM_ERROR { break }
            if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 { break }
        }
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        return code
    }

    /// Compresses `input` given as an array slice.
    @discardableResult
    func compress(_ input: ArraySlice<UInt8>, flush: Int32, into output: inout [UInt8]) -> Int32 {
        input.withUnsafeBytes { compress($0, flush: flush, into: &output) }
    }
}
