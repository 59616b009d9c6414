/// What this build is: the version and the package traits it was compiled with, for `--version` and metrics.
package enum BuildInfo {
    /// The software version, also reported in HELLO answers and in metrics.
    package static let version = "0.1.0"

    /// Whether the `ISAL` package trait (ISA-L's igzip trace writer) is on in this build.
    package static var hasISAL: Bool {
        #if ISAL
        true
        #else
        false
        #endif
    }

    /// The build's options, one line: `build options: trait ISAL on (trace compressors igzip, zlib; default igzip)`.
    package static var options: String {
        hasISAL
            ? "build options: trait ISAL on (trace compressors igzip, zlib; default igzip)"
            : "build options: trait ISAL off (trace compressor zlib only; built with --disable-default-traits)"
    }

    /// What `--version` prints: the version, then the build's options.
    package static var versionText: String { "\(version)\n\(options)" }
}
