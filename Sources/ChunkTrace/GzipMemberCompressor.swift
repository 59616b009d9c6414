/// Compresses a batch of trace lines into one complete gzip member appended to a buffer.
///
/// The segment compressor writes `GzipSegmentMarker.segmentStart`, one member per batch and
/// `GzipSegmentMarker.segmentEnd`; implementations only make the batch members, so every compressor yields the
/// same segment structure and `TraceReader` reads them all alike.
///
/// Implementations are not thread-safe; each is owned by one writer's compression thread.
protocol GzipMemberCompressor: AnyObject {
    /// Appends `input` compressed as one whole gzip member (header, deflate data, CRC-32 and length) to `output`.
    ///
    /// - Throws: `TraceError` if the library refuses; nothing is appended then.
    func compressMember(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(TraceError)
}

extension GzipMemberCompressor {
    /// Appends `input`, given as an array slice, as one gzip member.
    func compressMember(_ input: ArraySlice<UInt8>, into output: inout [UInt8]) throws(TraceError) {
        let result: Result<Void, TraceError> = input.withUnsafeBytes { bytes in
            do throws(TraceError) { return .success(try compressMember(bytes, into: &output)) } catch {
                return .failure(error)
            }
        }
        try result.get()
    }
}
