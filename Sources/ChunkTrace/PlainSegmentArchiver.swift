/// Compresses a rotated plain segment (`.jsonl`) into `<name>.jsonl.gz`, as lumberjack and logrotate do.
///
/// The archive has the structure the gzip format writes (start marker, one member per slice ending at a line end,
/// end marker), so `zcat`, `gzip -t` and `TraceReader` treat it like any gzip segment. It is written under a name no
/// reader picks up (`….jsonl.gz.partial`), renamed into place, and only then is the plain file removed: a reader
/// meets the plain file, the archive, or both (`TraceReader` then reads the archive only), never half an archive.
enum PlainSegmentArchiver {
    /// Archives `plainPath`; returns the bytes written.
    ///
    /// - Throws: `TraceError` when the plain file cannot be read or the archive cannot be written; the plain file is
    ///   then left in place (still readable) and no archive remains.
    static func archive(
        _ plainPath: String, compressor: any GzipMemberCompressor, sliceBytes: Int, fileSystem: any SegmentFileSystem
    ) throws(TraceError) -> Int {
        let plain = try fileSystem.readFile(plainPath)
        var output = GzipSegmentMarker.segmentStart
        var offset = 0
        while offset < plain.count {
            var end = min(offset + sliceBytes, plain.count)
            while end < plain.count && plain[end - 1] != UInt8(ascii: "\n") { end += 1 }
            try compressor.compressMember(plain[offset..<end], into: &output)
            offset = end
        }
        output.append(contentsOf: GzipSegmentMarker.segmentEnd)

        let archivePath = plainPath + ".gz"
        let partialPath = archivePath + ".partial"
        try? fileSystem.remove(partialPath)
        let file = try fileSystem.createNew(partialPath)
        let written: Result<Void, TraceError> = output.withUnsafeBytes { bytes in
            do throws(TraceError) {
                try file.write(bytes)
                return .success(try file.close())
            } catch {
                return .failure(error)
            }
        }
        do throws(TraceError) {
            try written.get()
            try fileSystem.rename(partialPath, to: archivePath)
        } catch {
            try? file.close()
            try? fileSystem.remove(partialPath)
            throw error
        }
        try fileSystem.remove(plainPath)
        return output.count
    }
}
