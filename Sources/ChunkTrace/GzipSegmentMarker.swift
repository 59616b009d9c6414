/// The empty gzip members that open and (on a clean close) end a trace segment, whichever compressor wrote it.
///
/// A segment is a sequence of members (standard gzip: `zcat` and `gzip -d` read concatenated members): first the
/// empty `segmentStart` member, then one member per batch, and, when the segment is closed cleanly, the empty
/// `segmentEnd` member. Every member is complete once written, so a `kill -9` leaves a file that reads up to its
/// last written batch; the missing `segmentEnd` tells the reader the segment was cut off.
enum GzipSegmentMarker {
    /// The gzip extra subfield (`SI1 SI2` = `C T`, length 1) that marks the start and end members.
    static let subfield: [UInt8] = [UInt8(ascii: "C"), UInt8(ascii: "T"), 1, 0]
    /// The marker's data byte in the member that opens a segment.
    static let start = UInt8(ascii: "S")
    /// The marker's data byte in the member that closes a segment cleanly.
    static let end = UInt8(ascii: "E")
    /// An empty gzip member whose header carries the start marker (27 bytes).
    static let segmentStart = emptyMember(marker: start)
    /// An empty gzip member whose header carries the end marker (27 bytes).
    static let segmentEnd = emptyMember(marker: end)

    /// A gzip member of no data: header with `FEXTRA` holding the marker, an empty final fixed-Huffman block
    /// (`03 00`), CRC-32 0 and length 0.
    private static func emptyMember(marker: UInt8) -> [UInt8] {
        let extra = subfield + [marker]
        return [0x1F, 0x8B, 8, 0x04, 0, 0, 0, 0, 0, 3, UInt8(extra.count), 0] + extra
            + [0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]
    }
}
