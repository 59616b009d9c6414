/// The library that compresses trace segments. Both write the same segment structure (a start member, one gzip
/// member per batch, an end member), so `TraceReader`, `zcat` and replay read either.
public enum TraceCompressor: String, Sendable, Hashable, CaseIterable {
    /// ISA-L igzip, levels 0…3: the default, about 4.5× less CPU than zlib for about 7 % more bytes.
    case igzip
    /// zlib, levels 1…9: the smaller output, at several percent of a traced peer's throughput.
    case zlib

    /// The levels this compressor accepts.
    public var levels: ClosedRange<Int> {
        switch self {
        case .igzip: IgzipMemberDeflater.levels
        case .zlib: ZlibMemberDeflater.levels
        }
    }

    /// A member compressor at `level` (clamped to `levels`).
    func makeMemberCompressor(level: Int) throws(TraceError) -> any GzipMemberCompressor {
        switch self {
        case .igzip: IgzipMemberDeflater(level: level)
        case .zlib: try ZlibMemberDeflater(level: level)
        }
    }
}
