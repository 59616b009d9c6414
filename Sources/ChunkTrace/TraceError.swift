#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What went wrong while decoding a trace line, or reading or writing trace files.
package enum TraceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The line is not a JSON object (it must start with `{`).
    case notAnObject
    /// The line ends in the middle of a value.
    case unexpectedEnd(offset: Int)
    /// A byte that JSON does not allow here.
    case unexpectedByte(UInt8, offset: Int, expected: String)
    /// A known key holds a value of the wrong type or range.
    case invalidValue(key: String, expected: String)
    /// A key every trace line must have is absent.
    case missingKey(String)
    /// A known key holds a value this version does not know (`ev`, `role`, `msg`).
    case unknownValue(key: String, value: String)
    /// `ts` is not RFC 3339 text.
    case invalidTimestamp(String)
    /// A string holds an invalid `\` escape.
    case invalidEscape(offset: Int)
    /// Arrays or objects nested deeper than the decoder follows.
    case nestedTooDeep(offset: Int)
    /// Bytes follow the object on the same line.
    case trailingBytes(offset: Int)
    /// A trace path given to the reader does not exist.
    case notFound(path: String)
    /// A system call on a trace file or folder failed.
    case system(operation: String, path: String, errno: Int32)
    /// zlib refused to start (out of memory, wrong zlib version).
    case zlib(operation: String, code: Int32)
    /// The writer was asked to write a segment but has none open (internal).
    case noOpenSegment
    /// igzip refused to compress a batch (its error code); the batch's events are dropped.
    case compressionFailed(code: Int32)
    /// The named trace compressor is not in this build (igzip in a build without the `ISAL` trait).
    case compressorNotBuilt(String)

    package var description: String {
        switch self {
        case .notAnObject:
            return "not a JSON object (a trace line starts with '{')"
        case .unexpectedEnd(let offset):
            return "line ends in the middle of a value (at byte \(offset))"
        case .unexpectedByte(let byte, let offset, let expected):
            return "unexpected byte 0x\(String(byte, radix: 16)) at byte \(offset), expected \(expected)"
        case .invalidValue(let key, let expected):
            return "key \"\(key)\" must be \(expected)"
        case .missingKey(let key):
            return "missing key \"\(key)\""
        case .unknownValue(let key, let value):
            return "unknown value \"\(value)\" for key \"\(key)\""
        case .invalidTimestamp(let text):
            return "\"ts\" is not an RFC 3339 time: \"\(text)\""
        case .invalidEscape(let offset):
            return "invalid escape in a string at byte \(offset)"
        case .nestedTooDeep(let offset):
            return "values nested too deeply at byte \(offset)"
        case .trailingBytes(let offset):
            return "unexpected bytes after the object at byte \(offset)"
        case .notFound(let path):
            return "no such file or folder: \(path)"
        case .system(let operation, let path, let code):
            return "cannot \(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
        case .zlib(let operation, let code):
            return "zlib \(operation) failed with code \(code)"
        case .noOpenSegment:
            return "no trace segment is open"
        case .compressionFailed(let code):
            return "igzip failed to compress a batch of trace lines with code \(code)"
        case .compressorNotBuilt(let name):
            return "this build has no ISA-L, so it cannot write traces with \(name): use --trace-compressor zlib, "
                + "or rebuild with the ISAL trait (the default; needs libisal-dev)"
        }
    }
}
