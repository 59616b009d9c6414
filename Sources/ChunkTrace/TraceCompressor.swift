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

    /// The level used when none is given: igzip 1, zlib 2 (the level the zlib writer used before igzip).
    public var defaultLevel: Int {
        switch self {
        case .igzip: 1
        case .zlib: 2
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
