import BuildInfo

/// The library that compresses trace segments. Both write the same segment structure (a start member, one gzip
/// member per batch, an end member), so `TraceReader`, `zcat` and replay read either.
///
/// `igzip` exists only in builds with the `ISAL` package trait (the default); `swift build --disable-default-traits`
/// links zlib alone, and there `zlib` is the default and asking for `igzip` throws `TraceError.compressorNotBuilt`.
package enum TraceCompressor: String, Sendable, Hashable, CaseIterable {
    /// ISA-L igzip, levels 0…3: the default, about 4.5× less CPU than zlib for about 7 % more bytes.
    case igzip
    /// zlib, levels 1…9: the smaller output, at several percent of a traced peer's throughput.
    case zlib

    /// The compressor used when none is given: igzip when this build has ISA-L, otherwise zlib.
    package static let preferred: TraceCompressor = BuildInfo.hasISAL ? .igzip : .zlib

    /// The compressors this build can use (`igzip` only with the `ISAL` trait).
    package static let built: [TraceCompressor] = allCases.filter(\.isBuilt)

    /// Whether this build can compress with it: `zlib` always, `igzip` only with the `ISAL` trait.
    package var isBuilt: Bool {
        switch self {
        case .igzip: BuildInfo.hasISAL
        case .zlib: true
        }
    }

    /// The levels this compressor accepts.
    package var levels: ClosedRange<Int> {
        switch self {
        case .igzip: 0...3
        case .zlib: ZlibMemberDeflater.levels
        }
    }

    /// The level used when none is given: igzip 1, zlib 2 (the level the zlib writer used before igzip).
    package var defaultLevel: Int {
        switch self {
        case .igzip: 1
        case .zlib: 2
        }
    }

    /// Throws `TraceError.compressorNotBuilt` when this build cannot use this compressor.
    package func checkBuilt() throws(TraceError) {
        guard isBuilt else { throw TraceError.compressorNotBuilt(rawValue) }
    }

    /// A member compressor at `level` (clamped to `levels`).
    func makeMemberCompressor(level: Int) throws(TraceError) -> any GzipMemberCompressor {
        switch self {
        case .igzip:
            #if ISAL
            IgzipMemberDeflater(level: level)
            #else
            throw TraceError.compressorNotBuilt(rawValue)
            #endif
        case .zlib: try ZlibMemberDeflater(level: level)
        }
    }
}
